import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { requireAccess, type RequireOptions } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import {
  cursorTsSql,
  decodeCursor,
  decodeKeyCursor,
  KEY_PATTERNS,
  toKeyPage,
  toPage,
  type Page,
  type PageQuery,
} from '../../shared/http/pagination';
import { money, splitByShares } from '../../shared/money';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { canonicalJson } from '../bids/canonical';
import { BidsService } from '../bids/bids.service';
import { BriefsService } from '../briefs/briefs.service';
import { contractAccess, SIGNERS, type ContractAction } from './contract.access';
import type { ContractDto, ContractSummaryDto, MilestoneDto } from './dto/contract.dto';
import {
  ContractsRepository,
  toContractSummary,
  toSignatureDto,
  type ContractRow,
} from './repositories/contracts.repository';
import {
  MilestonesRepository,
  toMilestoneDto,
  type MilestoneForInvoiceRow,
  type MilestoneRow,
} from './repositories/milestones.repository';

// Row types, column lists and mappers live in the repositories; other modules import these
// names from here.
export { SIGNERS } from './contract.access';
export type { ContractRow, SignatureRow } from './repositories/contracts.repository';
export { MILESTONE_COLUMNS, toMilestoneDto, type MilestoneRow } from './repositories/milestones.repository';

/** A contract with its current milestones and the hash of its terms. */
export interface ContractTerms {
  row: ContractRow;
  milestones: MilestoneDto[];
  termsHash: string;
}

/**
 * SHA-256 of the canonical terms: what both parties sign. The audio languages are part of them
 * once declared (so the hash of a contract without any is what it was before they existed).
 */
export function termsHash(r: ContractRow, milestones: MilestoneDto[]): string {
  const terms = {
    ...(r.audio_languages.length ? { audioLanguages: r.audio_languages } : {}),
    broadcasterId: r.broadcaster_id,
    studioId: r.studio_id,
    value: money(r.value_amount, r.currency),
    rights: r.rights,
    deliverySpec: r.delivery_spec,
    milestones: milestones.map((m) => ({
      sequence: m.sequence,
      title: m.title,
      amount: m.amount,
      dueAt: m.dueAt,
    })),
  };
  return createHash('sha256').update(canonicalJson(terms), 'utf8').digest('hex');
}

@Injectable()
export class ContractsService {
  private readonly access = contractAccess<ContractTerms>(async (em, user, id, lock) => {
    const row = await this.repo.findVisible(em, user.organisationId, user.role, id, lock);
    return row && this.terms(em, row);
  });

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ContractsRepository,
    private readonly milestoneRepo: MilestonesRepository,
    private readonly bids: BidsService,
    private readonly briefs: BriefsService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * The contract draft of an award: parties and value; rights, delivery spec and audio languages
   * from the brief; milestones from the bid's schedule, in whole minor units summing exactly to
   * the value.
   */
  async createFromAward(
    em: EntityManager,
    award: { briefId: string; bidId: string; broadcasterId: string; studioId: string },
  ): Promise<string> {
    const bid = await this.bids.awardTerms(em, award.bidId);
    const brief = await this.briefs.contractTerms(em, award.briefId);
    const contractId = await this.repo.insert(em, {
      ...award,
      valueAmount: bid!.price_amount,
      currency: bid!.currency,
      rights: brief!.rights,
      deliverySpec: brief!.delivery_spec,
      audioLanguages: brief!.audio_languages,
    });
    const schedule = bid!.content.milestones;
    const amounts = splitByShares(
      BigInt(bid!.price_amount),
      schedule.map((m) => m.share),
    );
    await this.milestoneRepo.insertSchedule(
      em,
      contractId,
      schedule.map((m, i) => ({ title: m.title, amount: String(amounts[i]), dueAt: m.dueAt })),
    );
    await this.announceTerms(em, contractId, award.broadcasterId, award.studioId);
    return contractId;
  }

  /** Tells the signers of both parties that (new) terms wait for their signature. */
  async announceTerms(
    em: EntityManager,
    contractId: string,
    broadcasterId: string,
    studioId: string,
  ): Promise<void> {
    await this.outbox.emit(em, 'contract.ready_to_sign', {
      recipients: {
        organisationIds: [broadcasterId, studioId],
        roles: [...SIGNERS.broadcaster, ...SIGNERS.studio],
      },
      data: { contractId },
    });
  }

  async list(user: AuthUser, q: PageQuery): Promise<Page<ContractSummaryDto>> {
    const after = decodeCursor(q.cursor);
    const rows = await this.repo.listVisible(
      this.ds.manager,
      user.organisationId,
      user.role,
      after,
      q.limit + 1,
    );
    return toPage(rows, q.limit, toContractSummary);
  }

  async get(user: AuthUser, id: string): Promise<ContractDto> {
    return this.toDto(this.ds.manager, await this.visible(this.ds.manager, user, id));
  }

  /** The schedule in sequence order; the cursor is the last sequence shown. */
  async milestones(user: AuthUser, id: string, q: PageQuery): Promise<Page<MilestoneDto>> {
    const after = decodeKeyCursor(q.cursor, [KEY_PATTERNS.int]);
    const { row } = await this.visible(this.ds.manager, user, id);
    const rows = await this.milestoneRepo.pageForContract(
      this.ds.manager,
      row.id,
      after ? Number(after[0]) : null,
      q.limit + 1,
    );
    return toKeyPage(
      rows,
      q.limit,
      (m) => toMilestoneDto(m, row.currency),
      (m) => [m.sequence],
    );
  }

  /**
   * The contract with its terms, when the caller sees it (the parties' members, the operator)
   * and may take `action` on it: 404 when not visible, 403 when the action is not theirs.
   */
  requireContract(
    em: EntityManager,
    user: AuthUser,
    id: string,
    action: ContractAction,
    options: RequireOptions = {},
  ): Promise<ContractTerms> {
    return requireAccess(this.access, em, user, id, action, options);
  }

  /** A contract of the caller's organisation (or any, for the operator); 404 otherwise. */
  async visible(em: EntityManager, user: AuthUser, id: string, lock = false): Promise<ContractTerms> {
    return this.requireContract(em, user, id, 'read', { lock });
  }

  async terms(em: EntityManager, row: ContractRow): Promise<ContractTerms> {
    const milestones = (await this.milestoneRepo.forContract(em, row.id)).map((m) =>
      toMilestoneDto(m, row.currency),
    );
    return { row, milestones, termsHash: termsHash(row, milestones) };
  }

  async toDto(em: EntityManager, t: ContractTerms): Promise<ContractDto> {
    const signatures = await this.repo.liveSignatures(em, t.row.id);
    return {
      ...toContractSummary(t.row),
      rights: t.row.rights,
      deliverySpec: t.row.delivery_spec,
      audioLanguages: t.row.audio_languages,
      termsHash: t.termsHash,
      signatures: signatures.map(toSignatureDto),
      milestones: t.milestones,
    };
  }

  // --- Owner methods for other modules (deliverables, finance): the contracts module's tables
  // --- are written and read only here; each takes the caller's EntityManager (one transaction).

  /** `SELECT broadcaster_id, value_amount, currency FROM contracts WHERE id = $1` (finance). */
  commitmentOf(
    em: EntityManager,
    contractId: string,
  ): Promise<{ broadcaster_id: string; value_amount: string; currency: string } | undefined> {
    return this.repo.commitmentOf(em, contractId);
  }

  /**
   * Set-based (finance, payout paid): every given contract still `active` whose milestones are
   * all paid becomes `completed` (updated_at = now()), each with its `contract.completed` event.
   */
  async completeIfAllPaid(em: EntityManager, contractIds: string[]): Promise<void> {
    for (const contractId of await this.repo.completeIfAllPaid(em, contractIds)) {
      await this.outbox.emit(em, 'contract.completed', { contractId });
    }
  }

  /** The milestone row locked FOR UPDATE, or undefined (deliverables' review). */
  lockMilestone(em: EntityManager, milestoneId: string): Promise<MilestoneRow | undefined> {
    return this.milestoneRepo.lock(em, milestoneId);
  }

  /** The milestone's contract and title (deliverables' checksum verification). */
  milestoneHeading(
    em: EntityManager,
    milestoneId: string,
  ): Promise<{ contract_id: string; title: string } | undefined> {
    return this.milestoneRepo.heading(em, milestoneId);
  }

  /** The milestone's status, its row locked FOR UPDATE (deliverables' upload). */
  lockMilestoneStatus(em: EntityManager, milestoneId: string): Promise<{ status: string } | undefined> {
    return this.milestoneRepo.lockStatus(em, milestoneId);
  }

  /** The milestone's contract id (no lock), or undefined when there is no such milestone. */
  milestoneContractId(em: EntityManager, milestoneId: string): Promise<string | undefined> {
    return this.milestoneRepo.contractIdOf(em, milestoneId);
  }

  /**
   * The milestone (locked FOR UPDATE OF m) with contract currency, parties, title and the VAT
   * of the broadcaster (`round(amount * coalesce(vat_rate, 0) / 100)`) for its invoice (finance).
   */
  milestoneForInvoice(em: EntityManager, milestoneId: string): Promise<MilestoneForInvoiceRow | undefined> {
    return this.milestoneRepo.forInvoice(em, milestoneId);
  }

  /**
   * pending | changes_requested → submitted: submitted_at = now(), review_notes = NULL. Answers
   * submitted_at and submitted_at + `reviewDays` days as keyset-precision text.
   */
  async submitMilestone(
    em: EntityManager,
    milestoneId: string,
    reviewDays: number,
  ): Promise<{ submitted_at: string; due: string }> {
    return this.milestoneRepo.transition<{ submitted_at: string; due: string }>(
      em,
      milestoneId,
      'submitted',
      {
        set: 'submitted_at = now(), review_notes = NULL',
        params: [reviewDays],
        returning: `${cursorTsSql('submitted_at')} AS submitted_at,
                   ${cursorTsSql(`(submitted_at + make_interval(days => $4::int))`)} AS due`,
      },
    );
  }

  /** submitted → accepted, reviewed_at = now(). */
  async acceptMilestone(em: EntityManager, milestoneId: string): Promise<void> {
    await this.milestoneRepo.transition(em, milestoneId, 'accepted', { set: 'reviewed_at = now()' });
  }

  /** submitted → changes_requested, reviewed_at = now(), review_notes = notes. */
  async requestMilestoneChanges(em: EntityManager, milestoneId: string, notes: string): Promise<void> {
    await this.milestoneRepo.transition(em, milestoneId, 'changes_requested', {
      set: 'reviewed_at = now(), review_notes = $4',
      params: [notes],
    });
  }

  /** accepted → invoiced (finance, once the invoice exists). */
  async markMilestoneInvoiced(em: EntityManager, milestoneId: string): Promise<void> {
    await this.milestoneRepo.transition(em, milestoneId, 'invoiced');
  }

  /** Set-based (finance, payout paid): the given milestones that are `invoiced` become `paid`. */
  markMilestonesPaid(em: EntityManager, milestoneIds: string[]): Promise<void> {
    return this.milestoneRepo.markPaid(em, milestoneIds);
  }
}
