import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { requireAccess, type RequireOptions, type ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import {
  decodeKeyCursor,
  KEY_PATTERNS,
  toKeyPage,
  type Page,
  type PageQuery,
} from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { BriefHooks } from '../briefs/brief-hooks';
import { BriefsService } from '../briefs/briefs.service';
import { isValidKzBin } from '../organisations/bin';
import { OrganisationsService } from '../organisations/organisations.service';
import { bidAccess, type BidAction } from './bid.access';
import { BidOpeningService } from './bid-opening.service';
import { LIVE_BID_STATUSES, bidLifecycle, type BidStatus } from './bid-status';
import { contentOf, toBidDto, type BidContent } from './bid.mapper';
import { BidErrors } from './bids.errors';
import { BidsRepository, type BidPageRow, type BidRow } from './bids.repository';
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
  private readonly access: ResourceAccess<BidRow, BidAction>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: BidsRepository,
    private readonly briefs: BriefsService,
    private readonly organisations: OrganisationsService,
    private readonly opening: BidOpeningService,
    private readonly hooks: BriefHooks,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {
    this.access = bidAccess(repo, briefs);
  }

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
      const id = await this.repo.insert(em, {
        briefId,
        studioId: user.organisationId,
        content,
        overBudget: overBudget(content, brief),
      });
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
      await this.repo.updateContent(em, bidId, content, overBudget(content, brief));
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
      bidLifecycle.assert(bid.status, 'submitted');
      await this.repo.bumpVersion(em, bidId);
      await this.seal(em, bidId, bid.content);
      return this.afterChange(em, user, bidId, 'bid.submitted');
    });
  }

  async withdraw(user: AuthUser, bidId: string): Promise<BidDto> {
    assertStudioActor(user);
    return this.ds.transaction(async (em) => {
      const { bid } = await this.lockOwnBidForChange(em, user, bidId);
      bidLifecycle.assert(bid.status, 'withdrawn');
      await this.repo.withdraw(em, bidId);
      return this.afterChange(em, user, bidId, 'bid.withdrawn');
    });
  }

  /**
   * The broadcaster (commissioners and admins) and the operator read the submitted bids after
   * the deadline; before it they get BIDS_SEALED. A studio sees only its own bid.
   */
  /** By receipt time (unsent last), then id; the cursor is the last bid's (submittedAt, id). */
  async listForBrief(user: AuthUser, briefId: string, q: PageQuery): Promise<Page<BidDto>> {
    const cursor = decodeKeyCursor(q.cursor, [KEY_PATTERNS.tsOrNull, KEY_PATTERNS.uuid]);
    const after = cursor ? { submittedAt: cursor[0] || null, id: cursor[1]! } : null;
    const em = this.ds.manager;
    const brief = await this.briefs.loadVisible(em, user, briefId);
    let rows: BidPageRow[];
    if (user.organisationKind === 'studio') {
      rows = await this.repo.listOfStudio(em, briefId, user.organisationId, after, q.limit + 1);
    } else {
      this.assertEvaluator(user, brief.broadcaster_id);
      await this.opening.assertUnsealed(briefId);
      rows = await this.repo.listCounting(em, briefId, after, q.limit + 1);
    }
    return toKeyPage(rows, q.limit, toBidDto, (r) => [r.cursor_ts ?? '', r.id]);
  }

  async get(user: AuthUser, bidId: string): Promise<BidDto> {
    return toBidDto(await this.requireBid(this.ds.manager, user, bidId, 'read'));
  }

  /**
   * A bid the caller may take `action` on: its own studio's at any time (to read); for the
   * brief's broadcaster and the operator a bid that counts, after the deadline (BIDS_SEALED
   * before it); 404 when not visible, 403 when visible but the action is not theirs.
   */
  async requireBid(
    em: EntityManager,
    user: AuthUser,
    bidId: string,
    action: BidAction,
    options: RequireOptions = {},
  ): Promise<BidRow> {
    const bid = await requireAccess(this.access, em, user, bidId, action, options);
    if (bid.studio_id === user.organisationId) return bid;
    await this.opening.assertUnsealed(bid.brief_id, em);
    if (!LIVE_BID_STATUSES.includes(bid.status)) throw notFound('Bid not found');
    return bid;
  }

  /** Commissioners and admins of the broadcaster, or the operator (read only). */
  assertEvaluator(user: AuthUser, broadcasterId: string): void {
    if (user.role === 'operator') return;
    if (user.organisationId !== broadcasterId) throw notFound('Brief not found');
    if (!Policy.ManageBriefs.allows(user)) {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Bids are for commissioners and admins');
    }
  }

  // --- Owner methods for contracts (award, contract draft); all take the caller's transaction.

  /**
   * Awards a bid of a closed brief (the caller holds the brief's row lock): locks the bid, checks
   * it is submitted or shortlisted, and sets it awarded. Answers the bid's studio.
   * BID_NOT_FOUND_FOR_BRIEF (422) if the bid is not the brief's, BID_STATE_CONFLICT (409) otherwise.
   */
  async markAwarded(
    em: EntityManager,
    briefId: string,
    bidId: string,
  ): Promise<{ id: string; studioId: string }> {
    const bid = await this.repo.lockOfBrief(em, briefId, bidId);
    if (!bid) throw new DomainError(BidErrors.BID_NOT_FOUND_FOR_BRIEF);
    if (bid.status !== 'submitted' && bid.status !== 'shortlisted') {
      throw new DomainError(BidErrors.BID_STATE_CONFLICT, `A ${bid.status} bid cannot be awarded`);
    }
    bidLifecycle.assert(bid.status, 'awarded');
    await this.repo.markAwarded(em, bidId);
    return { id: bid.id, studioId: bid.studio_id };
  }

  /** The studios of the brief's other bids that count (told they were not selected). */
  notSelectedStudioIds(em: EntityManager, briefId: string, awardedBidId: string): Promise<string[]> {
    return this.repo.otherCountingStudioIds(em, briefId, awardedBidId);
  }

  /** What an awarded bid's contract takes from it: price, currency and content (undefined: no bid). */
  awardTerms(
    em: EntityManager,
    bidId: string,
  ): Promise<{ price_amount: string; currency: string; content: BidContent } | undefined> {
    return this.repo.awardTerms(em, bidId);
  }

  /** Amendment hook: every submitted bid returns to draft; its studio must re-submit. */
  private async returnToDraft(em: EntityManager, briefId: string, actorId: string): Promise<void> {
    const rows = await this.repo.returnSubmittedToDraft(em, briefId);
    for (const r of rows) {
      await this.repo.recordVersion(em, r.id, actorId);
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
    const b = await this.briefs.lockOpenBrief(em, briefId);
    if (!b?.open) throw new DomainError(BidErrors.BID_WINDOW_CLOSED);
    return b;
  }

  private async lockOwnBidForChange(
    em: EntityManager,
    user: AuthUser,
    bidId: string,
  ): Promise<{ bid: BidRow; brief: OpenBrief }> {
    const briefId = await this.repo.ownBidBriefId(em, bidId, user.organisationId);
    if (!briefId) throw notFound('Bid not found');
    // Brief first, then bid: the same order as amendments, so they cannot deadlock.
    const brief = await this.lockOpenBrief(em, briefId);
    const bid = await this.repo.find(em, bidId, true);
    return { bid: bid!, brief };
  }

  private async assertMayBid(em: EntityManager, user: AuthUser, brief: OpenBrief): Promise<void> {
    const org = await this.organisations.bidderStanding(em, user.organisationId);
    if (!org?.verified) throw new DomainError(BidErrors.STUDIO_NOT_VERIFIED);
    if (brief.domestic_only && !(org.country === 'KZ' && org.bin !== null && isValidKzBin(org.bin))) {
      throw new DomainError(BidErrors.DOMESTIC_ONLY);
    }
  }

  /** Submits under a fresh receipt: new nonce, commitment and database time. */
  private async seal(em: EntityManager, bidId: string, content: BidContent): Promise<void> {
    const nonce = newNonce();
    await this.repo.seal(em, bidId, nonce, commitment(nonce, content));
  }

  /**
   * Version, notice and audit (no bid content: the audit log is readable by the operator). The
   * audit append is one INSERT without a lock (the sequencer integrates it after commit).
   */
  private async afterChange(
    em: EntityManager,
    user: AuthUser,
    bidId: string,
    action: string,
  ): Promise<BidDto> {
    await this.repo.recordVersion(em, bidId, user.id);
    const bid = (await this.repo.findWithBriefTitle(em, bidId))!;
    if (action === 'bid.submitted' || (action === 'bid.updated' && bid.status === 'submitted')) {
      await this.outbox.emit(em, 'bid.submitted', {
        recipients: { organisationIds: [user.organisationId], roles: [...Policy.Bid.roles] },
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
}

function assertStudioActor(user: AuthUser): void {
  if (!Policy.StudioActor.allows(user)) {
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
