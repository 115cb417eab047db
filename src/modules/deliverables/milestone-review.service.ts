import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { cursorTsSql } from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ContractErrors } from '../contracts/contracts.errors';
import {
  ContractsService,
  MILESTONE_COLUMNS,
  SIGNERS,
  toMilestoneDto,
  type MilestoneRow,
} from '../contracts/contracts.service';
import type { MilestoneDto } from '../contracts/dto/contract.dto';
import { assertMilestoneTransition, type MilestoneStatus } from '../contracts/milestone-status';

type Party = 'broadcaster' | 'studio';

/**
 * The review loop: the studio submits a milestone with a verified deliverable; the
 * commissioner accepts it (which the finance module turns into an invoice, through the
 * `milestone.accepted` event written in the same transaction) or requests changes.
 */
@Injectable()
export class MilestoneReviewService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly contracts: ContractsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  submit(user: AuthUser, milestoneId: string): Promise<MilestoneDto> {
    return this.move(user, milestoneId, 'studio', 'submitted', async (em, m, c) => {
      const [ready] = await em.query<unknown[]>(
        `SELECT 1 FROM deliverables WHERE milestone_id = $1 AND status = 'ready' LIMIT 1`,
        [milestoneId],
      );
      if (!ready) throw new DomainError(ContractErrors.NO_READY_DELIVERABLE);
      // UPDATE … RETURNING comes back from TypeORM as [rows, count].
      const [[row]] = await em.query<[{ submitted_at: string; due: string }[], number]>(
        `UPDATE milestones SET status = 'submitted', submitted_at = now(), review_notes = NULL WHERE id = $1
         RETURNING ${cursorTsSql('submitted_at')} AS submitted_at,
                   ${cursorTsSql(`(submitted_at + make_interval(days => $2::int))`)} AS due`,
        [milestoneId, this.config.milestoneReviewDays],
      );
      await this.outbox.emit(em, 'milestone.submitted', {
        recipients: { organisationIds: [c.broadcaster_id], roles: [...SIGNERS.broadcaster] },
        data: { milestoneId, milestoneTitle: m.title, contractId: c.id },
      });
      // Escalation to the broadcaster's admins if nobody has reviewed it by then.
      await this.outbox.emit(
        em,
        'milestone.reminder',
        { milestoneId, kind: 'review_overdue', at: row!.submitted_at },
        { availableAt: row!.due },
      );
      return null;
    });
  }

  accept(user: AuthUser, milestoneId: string): Promise<MilestoneDto> {
    return this.move(user, milestoneId, 'broadcaster', 'accepted', async (em, m, c) => {
      await em.query(`UPDATE milestones SET status = 'accepted', reviewed_at = now() WHERE id = $1`, [
        milestoneId,
      ]);
      await this.outbox.emit(em, 'milestone.accepted', {
        recipients: { organisationIds: [c.studio_id], roles: [...SIGNERS.studio, 'finance'] },
        data: { milestoneId, milestoneTitle: m.title, contractId: c.id, amount: Number(m.amount) },
      });
      return null;
    });
  }

  requestChanges(user: AuthUser, milestoneId: string, notes: string): Promise<MilestoneDto> {
    return this.move(user, milestoneId, 'broadcaster', 'changes_requested', async (em, m, c) => {
      await em.query(
        `UPDATE milestones SET status = 'changes_requested', reviewed_at = now(), review_notes = $2 WHERE id = $1`,
        [milestoneId, notes],
      );
      await this.outbox.emit(em, 'milestone.changes_requested', {
        recipients: { organisationIds: [c.studio_id], roles: [...SIGNERS.studio] },
        data: { milestoneId, milestoneTitle: m.title, contractId: c.id, notes },
      });
      return notes;
    });
  }

  /**
   * One transition: the milestone row locked (so concurrent reviews yield one winner), the
   * caller a signer of `party`, the contract active, the move allowed by the transition table.
   */
  private async move(
    user: AuthUser,
    milestoneId: string,
    party: Party,
    to: MilestoneStatus,
    apply: (
      em: EntityManager,
      m: MilestoneRow,
      c: { id: string; broadcaster_id: string; studio_id: string },
    ) => Promise<string | null>,
  ): Promise<MilestoneDto> {
    return this.ds.transaction(async (em) => {
      const [m] = await em.query<MilestoneRow[]>(
        `SELECT ${MILESTONE_COLUMNS} FROM milestones WHERE id = $1 FOR UPDATE`,
        [milestoneId],
      );
      if (!m) throw notFound('Milestone not found');
      const t = await this.contracts.visible(em, user, m.contract_id).catch(() => {
        throw notFound('Milestone not found');
      });
      const org = party === 'broadcaster' ? t.row.broadcaster_id : t.row.studio_id;
      if (user.organisationId !== org || !(SIGNERS[party] as readonly string[]).includes(user.role)) {
        throw new DomainError(
          CommonErrors.FORBIDDEN,
          `This is for the ${party}'s ${SIGNERS[party].join(' or ')}`,
        );
      }
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
