import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import type { AuthUser } from '../../shared/auth/auth-user';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ContractErrors } from '../contracts/contracts.errors';
import { ContractsService, SIGNERS, toMilestoneDto, type MilestoneRow } from '../contracts/contracts.service';
import type { MilestoneDto } from '../contracts/dto/contract.dto';
import { assertMilestoneTransition, type MilestoneStatus } from '../contracts/milestone-status';
import { DeliverablesRepository } from './deliverables.repository';
import { DeliverablesService } from './deliverables.service';
import { QcService } from './qc/qc.service';

/**
 * The review loop: the studio submits a milestone with a verified deliverable; the
 * commissioner accepts it (which the finance module turns into an invoice, through the
 * `milestone.accepted` event written in the same transaction) or requests changes.
 */
@Injectable()
export class MilestoneReviewService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly deliverables: DeliverablesService,
    private readonly repository: DeliverablesRepository,
    private readonly qc: QcService,
    private readonly contracts: ContractsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  submit(user: AuthUser, milestoneId: string): Promise<MilestoneDto> {
    return this.move(user, milestoneId, 'submit', 'submitted', async (em, m, c) => {
      if (!(await this.repository.hasReady(em, milestoneId))) {
        throw new DomainError(ContractErrors.NO_READY_DELIVERABLE);
      }
      const row = await this.contracts.submitMilestone(em, milestoneId, this.config.milestoneReviewDays);
      await this.outbox.emit(em, 'milestone.submitted', {
        recipients: { organisationIds: [c.broadcaster_id], roles: [...SIGNERS.broadcaster] },
        data: { milestoneId, milestoneTitle: m.title, contractId: c.id },
      });
      // Escalation to the broadcaster's admins if nobody has reviewed it by then.
      await this.outbox.emit(
        em,
        'milestone.reminder',
        { milestoneId, kind: 'review_overdue', at: row.submitted_at },
        { availableAt: row.due },
      );
      return null;
    });
  }

  accept(user: AuthUser, milestoneId: string): Promise<MilestoneDto> {
    return this.move(user, milestoneId, 'review', 'accepted', async (em, m, c) => {
      await this.qc.assertAcceptable(em, milestoneId);
      await this.contracts.acceptMilestone(em, milestoneId);
      await this.outbox.emit(em, 'milestone.accepted', {
        recipients: { organisationIds: [c.studio_id], roles: [...SIGNERS.studio, 'finance'] },
        data: { milestoneId, milestoneTitle: m.title, contractId: c.id, amount: Number(m.amount) },
      });
      return null;
    });
  }

  requestChanges(user: AuthUser, milestoneId: string, notes: string): Promise<MilestoneDto> {
    return this.move(user, milestoneId, 'review', 'changes_requested', async (em, m, c) => {
      await this.contracts.requestMilestoneChanges(em, milestoneId, notes);
      await this.outbox.emit(em, 'milestone.changes_requested', {
        recipients: { organisationIds: [c.studio_id], roles: [...SIGNERS.studio] },
        data: { milestoneId, milestoneTitle: m.title, contractId: c.id, notes },
      });
      return notes;
    });
  }

  /**
   * One transition: the milestone row locked (so concurrent reviews yield one winner), the
   * caller a signer of the party that takes `action` (the studio submits, the broadcaster
   * reviews), the contract active, the move allowed by the transition table.
   */
  private async move(
    user: AuthUser,
    milestoneId: string,
    action: 'submit' | 'review',
    to: MilestoneStatus,
    apply: (
      em: EntityManager,
      m: MilestoneRow,
      c: { id: string; broadcaster_id: string; studio_id: string },
    ) => Promise<string | null>,
  ): Promise<MilestoneDto> {
    return this.ds.transaction(async (em) => {
      const work = await this.deliverables.requireMilestone(em, user, milestoneId, action, { lock: true });
      // Loaded with lock, so the row is there.
      const m = work.milestone!;
      const t = work.contract;
      if (t.row.status !== 'active') {
        throw new DomainError(ContractErrors.CONTRACT_STATE_CONFLICT, `The contract is ${t.row.status}`);
      }
      assertMilestoneTransition(m.status as MilestoneStatus, to);
      const notes = await apply(em, m, t.row);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: `milestone.${to}`,
        entityType: 'milestone',
        entityId: milestoneId,
        before: { status: m.status },
        after: notes === null ? { status: to } : { status: to, notes },
      });
      return toMilestoneDto({ ...m, status: to }, t.row.currency);
    });
  }
}
