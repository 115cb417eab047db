import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ContractErrors } from './contracts.errors';
import { ContractsService, SIGNERS, type ContractTerms } from './contracts.service';
import type { ContractDto } from './dto/contract.dto';
import type { MilestoneInputDto } from './dto/signing.dto';

const DAY_MS = 86400 * 1000;

/** The draft's terms, the two signatures, activation and termination. */
@Injectable()
export class SigningService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly contracts: ContractsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Replaces a draft's milestone schedule. Amounts are whole minor units in the contract
   * currency and sum exactly to the value. Any change clears the signatures given so far.
   */
  async replaceMilestones(user: AuthUser, id: string, milestones: MilestoneInputDto[]): Promise<ContractDto> {
    return this.ds.transaction(async (em) => {
      const before = await this.lockAs(em, user, id, 'broadcaster', ['commissioner', 'admin']);
      if (before.row.status !== 'draft') {
        throw new DomainError(
          ContractErrors.CONTRACT_STATE_CONFLICT,
          'Only a draft contract changes its milestones',
        );
      }
      const { currency, value_amount: value } = before.row;
      if (milestones.some((m) => m.amount.currency !== currency)) {
        throw new DomainError(ContractErrors.MILESTONE_SUM, `Amounts must be in ${currency}`);
      }
      const sum = milestones.reduce((s, m) => s + BigInt(m.amount.amount), 0n);
      if (sum !== BigInt(value)) {
        throw new DomainError(
          ContractErrors.MILESTONE_SUM,
          `The milestones sum to ${sum}, the value is ${value}`,
        );
      }
      // A draft has no deliverables yet, so its schedule rows can simply be replaced.
      await em.query('DELETE FROM milestones WHERE contract_id = $1', [id]);
      await em.query(
        `INSERT INTO milestones (contract_id, sequence, title, amount, due_at)
         SELECT $1, ord, t, a, d FROM unnest($2::text[], $3::bigint[], $4::timestamptz[]) WITH ORDINALITY AS m(t, a, d, ord)`,
        [
          id,
          milestones.map((m) => m.title),
          milestones.map((m) => String(m.amount.amount)),
          milestones.map((m) => m.dueAt),
        ],
      );
      const cleared = await this.clearSignatures(em, id);
      await em.query('UPDATE contracts SET updated_at = now() WHERE id = $1', [id]);
      const after = await this.contracts.terms(em, before.row);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'contract.milestones_replaced',
        entityType: 'contract',
        entityId: id,
        before: { termsHash: before.termsHash, milestones: before.milestones },
        after: { termsHash: after.termsHash, milestones: after.milestones, signaturesCleared: cleared },
      });
      await this.contracts.announceTerms(em, id, before.row.broadcaster_id, before.row.studio_id);
      return this.contracts.toDto(em, after);
    });
  }

  /**
   * A signature of the caller's party on the current terms hash; a stale hash is 409. When both
   * parties have signed the same hash the contract becomes active.
   */
  async sign(user: AuthUser, id: string, hash: string): Promise<ContractDto> {
    return this.ds.transaction(async (em) => {
      const party = this.partyOf(user, await this.contracts.visible(em, user, id));
      const t = await this.lockAs(em, user, id, party, SIGNERS[party]);
      if (t.row.status !== 'draft')
        throw new DomainError(ContractErrors.CONTRACT_STATE_CONFLICT, `The contract is ${t.row.status}`);
      if (hash !== t.termsHash) throw new DomainError(ContractErrors.TERMS_CHANGED);
      await em.query(
        `INSERT INTO contract_signatures (contract_id, party, user_id, terms_hash) VALUES ($1, $2, $3, $4)`,
        [id, party, user.id, hash],
      );
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'contract.signed',
        entityType: 'contract',
        entityId: id,
        after: { party, termsHash: hash },
      });
      const [both] = await em.query<{ n: number }[]>(
        `SELECT count(DISTINCT party)::int AS n FROM contract_signatures
          WHERE contract_id = $1 AND cleared_at IS NULL AND terms_hash = $2`,
        [id, hash],
      );
      if (both?.n === 2) await this.activate(em, t);
      return this.contracts.toDto(
        em,
        await this.contracts.terms(em, { ...t.row, status: both?.n === 2 ? 'active' : t.row.status }),
      );
    });
  }

  async terminate(user: AuthUser, id: string, reason: string): Promise<ContractDto> {
    return this.ds.transaction(async (em) => {
      const t = await this.lockAs(em, user, id, 'broadcaster', ['commissioner', 'admin']);
      if (t.row.status !== 'draft' && t.row.status !== 'active') {
        throw new DomainError(
          ContractErrors.CONTRACT_STATE_CONFLICT,
          `A ${t.row.status} contract cannot be terminated`,
        );
      }
      await em.query(
        `UPDATE contracts SET status = 'terminated', terminated_at = now(), termination_reason = $2, updated_at = now()
          WHERE id = $1`,
        [id, reason],
      );
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'contract.terminated',
        entityType: 'contract',
        entityId: id,
        before: { status: t.row.status },
        after: { status: 'terminated', reason },
      });
      return this.contracts.toDto(em, { ...t, row: { ...t.row, status: 'terminated' } });
    });
  }

  private async activate(em: EntityManager, t: ContractTerms): Promise<void> {
    const { id, broadcaster_id: broadcasterId, studio_id: studioId } = t.row;
    await em.query(
      `UPDATE contracts SET status = 'active', activated_at = now(), updated_at = now() WHERE id = $1`,
      [id],
    );
    await this.audit.record(em, {
      actorId: null,
      organisationId: broadcasterId,
      action: 'contract.activated',
      entityType: 'contract',
      entityId: id,
      after: { status: 'active', termsHash: t.termsHash },
    });
    await this.outbox.emit(em, 'contract.active', {
      recipients: {
        organisationIds: [broadcasterId, studioId],
        roles: [...SIGNERS.broadcaster, ...SIGNERS.studio],
      },
      data: { contractId: id },
    });
    // The studio hears 3 days before each milestone is due (if it is not delivered by then).
    for (const m of t.milestones) {
      const at = new Date(Math.max(Date.parse(m.dueAt) - 3 * DAY_MS, 0)).toISOString();
      await this.outbox.emit(
        em,
        'milestone.reminder',
        { milestoneId: m.id, kind: 'due_soon', at: m.dueAt },
        { availableAt: at },
      );
    }
  }

  private async clearSignatures(em: EntityManager, contractId: string): Promise<number> {
    const [, cleared] = await em.query<[unknown[], number]>(
      'UPDATE contract_signatures SET cleared_at = now() WHERE contract_id = $1 AND cleared_at IS NULL',
      [contractId],
    );
    return cleared;
  }

  private partyOf(user: AuthUser, t: ContractTerms): 'broadcaster' | 'studio' {
    if (user.organisationId === t.row.broadcaster_id) return 'broadcaster';
    if (user.organisationId === t.row.studio_id) return 'studio';
    throw new DomainError(CommonErrors.FORBIDDEN, 'Only the parties sign');
  }

  /** The contract locked, for a member of `party` with one of `roles` (404 outside the parties). */
  private async lockAs(
    em: EntityManager,
    user: AuthUser,
    id: string,
    party: 'broadcaster' | 'studio',
    roles: readonly string[],
  ): Promise<ContractTerms> {
    const t = await this.contracts.visible(em, user, id, true);
    const org = party === 'broadcaster' ? t.row.broadcaster_id : t.row.studio_id;
    if (user.organisationId !== org || !roles.includes(user.role)) {
      throw new DomainError(CommonErrors.FORBIDDEN, `This needs a ${party} ${roles.join(' or ')}`);
    }
    return t;
  }
}
