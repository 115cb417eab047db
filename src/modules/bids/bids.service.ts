import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { BriefHooks } from '../briefs/brief-hooks';
import { BRIEF_MANAGERS, BriefsService, STUDIO_ACTORS } from '../briefs/briefs.service';
import { isValidKzBin } from '../organisations/bin';
import { BidOpeningService } from './bid-opening.service';
import { assertBidTransition, LIVE_BID_STATUSES, type BidStatus } from './bid-status';
import { BID_COLUMNS, BID_FROM, contentOf, toBidDto, type BidContent, type BidRow } from './bid.mapper';
import { BidErrors } from './bids.errors';
import { commitment, newNonce } from './canonical';
import type { BidDto, CreateBidDto, UpdateBidDto } from './dto/bid.dto';

interface OpenBrief {
  currency: string;
  budget_max: string | null;
  domestic_only: boolean;
}

/**
 * A studio's bid before the deadline: draft, submit, edit, withdraw. Sealed: until the
 * deadline only the bidding studio reads it; studios never read each other's bids.
 */
@Injectable()
export class BidsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly briefs: BriefsService,
    private readonly opening: BidOpeningService,
    private readonly hooks: BriefHooks,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.hooks.onAmended((em, briefId, actorId) => this.returnToDraft(em, briefId, actorId));
  }

  async create(user: AuthUser, briefId: string, dto: CreateBidDto): Promise<BidDto> {
    assertStudioActor(user);
    return this.ds.transaction(async (em) => {
      await this.briefs.loadVisible(em, user, briefId);
      const brief = await this.lockOpenBrief(em, briefId);
      await this.assertMayBid(em, user, brief);
      const content = contentOf(dto);
      assertContent(content, brief.currency);
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO bids (brief_id, studio_id, price_amount, currency, content, over_budget)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
        [
          briefId,
          user.organisationId,
          dto.price.amount,
          dto.price.currency,
          JSON.stringify(content),
          overBudget(content, brief),
        ],
      );
      const id = row!.id;
      if (dto.submit) await this.seal(em, id, content);
      return this.afterChange(em, user, id, dto.submit ? 'bid.submitted' : 'bid.created');
    });
  }

  async update(user: AuthUser, bidId: string, dto: UpdateBidDto): Promise<BidDto> {
    assertStudioActor(user);
    return this.ds.transaction(async (em) => {
      const { bid, brief } = await this.lockOwnBidForChange(em, user, bidId);
      if (bid.status !== 'draft' && bid.status !== 'submitted') {
        throw new DomainError(BidErrors.BID_STATE_CONFLICT, `A ${bid.status} bid cannot be edited`);
      }
      // Only the fields present in the body (DTO instances carry the others as undefined).
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const content = contentOf({ ...bid.content, ...changes });
      assertContent(content, brief.currency);
      await em.query(
        `UPDATE bids SET price_amount = $2, currency = $3, content = $4::jsonb, over_budget = $5,
                         version = version + 1, updated_at = now() WHERE id = $1`,
        [
          bidId,
          content.price.amount,
          content.price.currency,
          JSON.stringify(content),
          overBudget(content, brief),
        ],
      );
      // An edited submitted bid stays submitted under a new receipt.
      if (bid.status === 'submitted') await this.seal(em, bidId, content);
      return this.afterChange(em, user, bidId, 'bid.updated');
    });
  }

  async submit(user: AuthUser, bidId: string): Promise<BidDto> {
    assertStudioActor(user);
    return this.ds.transaction(async (em) => {
      const { bid } = await this.lockOwnBidForChange(em, user, bidId);
      if (bid.status === 'submitted')
        throw new DomainError(BidErrors.BID_STATE_CONFLICT, 'The bid is submitted already');
      assertBidTransition(bid.status, 'submitted');
      await em.query('UPDATE bids SET version = version + 1, updated_at = now() WHERE id = $1', [bidId]);
      await this.seal(em, bidId, bid.content);
      return this.afterChange(em, user, bidId, 'bid.submitted');
    });
  }

  async withdraw(user: AuthUser, bidId: string): Promise<BidDto> {
    assertStudioActor(user);
    return this.ds.transaction(async (em) => {
      const { bid } = await this.lockOwnBidForChange(em, user, bidId);
      assertBidTransition(bid.status, 'withdrawn');
      await em.query(
        `UPDATE bids SET status = 'withdrawn', commitment = NULL, nonce = NULL, submitted_at = NULL,
                         version = version + 1, updated_at = now() WHERE id = $1`,
        [bidId],
      );
      return this.afterChange(em, user, bidId, 'bid.withdrawn');
    });
  }

  /**
   * The broadcaster (commissioners and admins) and the operator read the submitted bids after
   * the deadline; before it they get BIDS_SEALED. A studio sees only its own bid.
   */
  async listForBrief(user: AuthUser, briefId: string): Promise<BidDto[]> {
    const brief = await this.briefs.loadVisible(this.ds.manager, user, briefId);
    if (user.organisationKind === 'studio') {
      const rows = await this.ds.query<BidRow[]>(
        `SELECT ${BID_COLUMNS} FROM ${BID_FROM} WHERE x.brief_id = $1 AND x.studio_id = $2`,
        [briefId, user.organisationId],
      );
      return rows.map(toBidDto);
    }
    this.assertEvaluator(user, brief.broadcaster_id);
    await this.opening.assertUnsealed(briefId);
    const rows = await this.ds.query<BidRow[]>(
      `SELECT ${BID_COLUMNS} FROM ${BID_FROM} WHERE x.brief_id = $1 AND x.status = ANY($2::text[])
        ORDER BY x.submitted_at NULLS LAST, x.id`,
      [briefId, LIVE_BID_STATUSES],
    );
    return rows.map(toBidDto);
  }

  async get(user: AuthUser, bidId: string): Promise<BidDto> {
    return toBidDto(await this.readable(this.ds.manager, user, bidId));
  }

  /**
   * A bid the caller may read: its own studio's at any time; for the brief's broadcaster and
   * the operator a submitted bid after the deadline (BIDS_SEALED before it); else 404.
   */
  async readable(em: EntityManager, user: AuthUser, bidId: string, lock = false): Promise<BidRow> {
    const [bid] = await em.query<BidRow[]>(
      `SELECT ${BID_COLUMNS} FROM ${BID_FROM} WHERE x.id = $1 ${lock ? 'FOR UPDATE OF x' : ''}`,
      [bidId],
    );
    if (!bid) throw notFound('Bid not found');
    if (bid.studio_id === user.organisationId) return bid;
    if (user.organisationKind === 'studio') throw notFound('Bid not found');
    const brief = await this.briefs.loadVisible(em, user, bid.brief_id).catch(() => {
      throw notFound('Bid not found');
    });
    if (brief.broadcaster_id !== user.organisationId && user.role !== 'operator')
      throw notFound('Bid not found');
    this.assertEvaluator(user, brief.broadcaster_id);
    await this.opening.assertUnsealed(bid.brief_id, em);
    if (!LIVE_BID_STATUSES.includes(bid.status)) throw notFound('Bid not found');
    return bid;
  }

  /** Commissioners and admins of the broadcaster, or the operator (read only). */
  assertEvaluator(user: AuthUser, broadcasterId: string): void {
    if (user.role === 'operator') return;
    if (user.organisationId !== broadcasterId) throw notFound('Brief not found');
    if (!BRIEF_MANAGERS.includes(user.role)) {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Bids are for commissioners and admins');
    }
  }

  /** Amendment hook: every submitted bid returns to draft; its studio must re-submit. */
  private async returnToDraft(em: EntityManager, briefId: string, actorId: string): Promise<void> {
    const [rows] = await em.query<[{ id: string; studio_id: string; version: number }[], number]>(
      `UPDATE bids SET status = 'draft', commitment = NULL, nonce = NULL, submitted_at = NULL,
                       version = version + 1, updated_at = now()
        WHERE brief_id = $1 AND status = 'submitted' RETURNING id, studio_id, version`,
      [briefId],
    );
    for (const r of rows) {
      await this.recordVersion(em, r.id, actorId);
      await this.audit.record(em, {
        actorId,
        organisationId: r.studio_id,
        action: 'bid.returned_to_draft',
        entityType: 'bid',
        entityId: r.id,
        after: { status: 'draft', version: r.version, reason: 'brief amended' },
      });
    }
  }

  /** Locks the brief (shared, so amendments and the close wait) and checks the window is open. */
  private async lockOpenBrief(em: EntityManager, briefId: string): Promise<OpenBrief> {
    await em.query('SELECT 1 FROM briefs WHERE id = $1 FOR SHARE', [briefId]);
    // clock_timestamp(), read after the lock: a write that waited on the close sees it closed.
    const [b] = await em.query<(OpenBrief & { open: boolean })[]>(
      `SELECT currency, budget_max, domestic_only,
              status = 'published' AND bids_close_at > clock_timestamp() AS open
         FROM briefs WHERE id = $1`,
      [briefId],
    );
    if (!b?.open) throw new DomainError(BidErrors.BID_WINDOW_CLOSED);
    return b;
  }

  private async lockOwnBidForChange(
    em: EntityManager,
    user: AuthUser,
    bidId: string,
  ): Promise<{ bid: BidRow; brief: OpenBrief }> {
    const [found] = await em.query<{ brief_id: string }[]>(
      'SELECT brief_id FROM bids WHERE id = $1 AND studio_id = $2',
      [bidId, user.organisationId],
    );
    if (!found) throw notFound('Bid not found');
    // Brief first, then bid: the same order as amendments, so they cannot deadlock.
    const brief = await this.lockOpenBrief(em, found.brief_id);
    const [bid] = await em.query<BidRow[]>(
      `SELECT ${BID_COLUMNS} FROM ${BID_FROM} WHERE x.id = $1 FOR UPDATE OF x`,
      [bidId],
    );
    return { bid: bid!, brief };
  }

  private async assertMayBid(em: EntityManager, user: AuthUser, brief: OpenBrief): Promise<void> {
    const [org] = await em.query<{ verified: boolean; country: string; bin: string | null }[]>(
      'SELECT verified_at IS NOT NULL AS verified, country, bin FROM organisations WHERE id = $1',
      [user.organisationId],
    );
    if (!org?.verified) throw new DomainError(BidErrors.STUDIO_NOT_VERIFIED);
    if (brief.domestic_only && !(org.country === 'KZ' && org.bin !== null && isValidKzBin(org.bin))) {
      throw new DomainError(BidErrors.DOMESTIC_ONLY);
    }
  }

  /** Submits under a fresh receipt: new nonce, commitment and database time. */
  private async seal(em: EntityManager, bidId: string, content: BidContent): Promise<void> {
    const nonce = newNonce();
    await em.query(
      `UPDATE bids SET status = 'submitted', nonce = $2, commitment = $3, submitted_at = clock_timestamp() WHERE id = $1`,
      [bidId, nonce, commitment(nonce, content)],
    );
  }

  private async recordVersion(em: EntityManager, bidId: string, actorId: string): Promise<void> {
    await em.query(
      `INSERT INTO bid_versions (bid_id, version, status, price_amount, content, commitment, changed_by)
       SELECT id, version, status, price_amount, content, commitment, $2 FROM bids WHERE id = $1`,
      [bidId, actorId],
    );
  }

  /**
   * Version, notice and audit (no bid content: the audit log is readable by the operator). The
   * audit append comes last: it takes the chain lock, held until commit, so nothing may follow it.
   */
  private async afterChange(
    em: EntityManager,
    user: AuthUser,
    bidId: string,
    action: string,
  ): Promise<BidDto> {
    await this.recordVersion(em, bidId, user.id);
    const [row] = await em.query<(BidRow & { brief_title: string })[]>(
      `SELECT ${BID_COLUMNS}, (SELECT title FROM briefs WHERE id = x.brief_id) AS brief_title
         FROM ${BID_FROM} WHERE x.id = $1`,
      [bidId],
    );
    const bid = row!;
    if (action === 'bid.submitted' || (action === 'bid.updated' && bid.status === 'submitted')) {
      await this.outbox.emit(em, 'bid.submitted', {
        recipients: { organisationIds: [user.organisationId], roles: [...STUDIO_ACTORS] },
        data: { briefId: bid.brief_id, bidId, briefTitle: bid.brief_title },
      });
    }
    await this.audit.record(em, {
      actorId: user.id,
      organisationId: user.organisationId,
      action,
      entityType: 'bid',
      entityId: bidId,
      after: { briefId: bid.brief_id, status: bid.status, version: bid.version, commitment: bid.commitment },
    });
    return toBidDto(bid);
  }

  // --- Owner methods for the award (contracts' AwardService and ContractsService), each in the
  // --- caller's transaction; SQL moved verbatim from contracts (issue 12).

  /** `SELECT id, studio_id, status FROM bids WHERE id = $1 AND brief_id = $2 FOR UPDATE`. */
  async lockForAward(
    em: EntityManager,
    bidId: string,
    briefId: string,
  ): Promise<{ id: string; studio_id: string; status: BidStatus } | undefined> {
    const [bid] = await em.query<{ id: string; studio_id: string; status: BidStatus }[]>(
      'SELECT id, studio_id, status FROM bids WHERE id = $1 AND brief_id = $2 FOR UPDATE',
      [bidId, briefId],
    );
    return bid;
  }

  /** The awarded bid's status: `UPDATE bids SET status = 'awarded', updated_at = now() WHERE id = $1`. */
  async markAwarded(em: EntityManager, bidId: string): Promise<void> {
    await em.query(`UPDATE bids SET status = 'awarded', updated_at = now() WHERE id = $1`, [bidId]);
  }

  /** The studios of the brief's other submitted, shortlisted or rejected bids (not selected). */
  async otherBidders(em: EntityManager, briefId: string, bidId: string): Promise<string[]> {
    const others = await em.query<{ studio_id: string }[]>(
      `SELECT studio_id FROM bids WHERE brief_id = $1 AND id <> $2 AND status IN ('submitted', 'shortlisted', 'rejected')`,
      [briefId, bidId],
    );
    return others.map((o) => o.studio_id);
  }

  /** The price, currency and content (milestone schedule) a contract is drafted from. */
  async awardTerms(
    em: EntityManager,
    bidId: string,
  ): Promise<{ price_amount: string; currency: string; content: BidContent } | undefined> {
    const [bid] = await em.query<{ price_amount: string; currency: string; content: BidContent }[]>(
      'SELECT price_amount, currency, content FROM bids WHERE id = $1',
      [bidId],
    );
    return bid;
  }
}

function assertStudioActor(user: AuthUser): void {
  if (user.organisationKind !== 'studio' || !STUDIO_ACTORS.includes(user.role)) {
    throw new DomainError(CommonErrors.FORBIDDEN, 'Only studio producers and admins bid');
  }
}

/** Integer amounts in the brief currency; the breakdown sums to the price; shares to 100. */
export function assertContent(c: BidContent, currency: string): void {
  const amounts = [c.price, ...c.breakdown.map((l) => l.amount)];
  if (amounts.some((m) => m.currency !== currency)) {
    throw new DomainError(BidErrors.CURRENCY_MISMATCH, `All amounts must be in ${currency}`);
  }
  const sum = c.breakdown.reduce((s, l) => s + BigInt(l.amount.amount), 0n);
  if (sum !== BigInt(c.price.amount)) {
    throw new DomainError(
      BidErrors.BREAKDOWN_MISMATCH,
      `The breakdown sums to ${sum}, the price is ${c.price.amount}`,
    );
  }
  const shares = c.milestones.reduce((s, m) => s + m.share, 0);
  if (shares !== 100) throw new DomainError(BidErrors.MILESTONE_SHARES, `The shares sum to ${shares}`);
}

function overBudget(c: BidContent, brief: OpenBrief): boolean {
  return brief.budget_max !== null && BigInt(c.price.amount) > BigInt(brief.budget_max);
}

export type { BidStatus };
