import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { EventPayloads } from '../../shared/outbox/events';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { BriefsService } from '../briefs/briefs.service';
import { BidErrors } from './bids.errors';
import { BidsRepository } from './bids.repository';
import type { BidOpeningDto } from './dto/bid.dto';

/**
 * The deadline. A brief is closed the instant bids_close_at passes (every read computes that
 * from the database clock); this service records it: status `closed`, the single bid-opening
 * record of every submitted bid's commitment, and the `bids.opened` notice. It runs from the
 * scheduled `brief.deadline` event, or from the first request that needs the record, whichever
 * comes first; the brief row lock makes it happen once.
 */
@Injectable()
export class BidOpeningService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: BidsRepository,
    private readonly briefs: BriefsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  /** BIDS_SEALED before the deadline; after it, makes sure the closing is recorded. */
  async assertUnsealed(briefId: string, em?: EntityManager): Promise<void> {
    if (!(await this.briefs.deadlinePassed(em ?? this.ds.manager, briefId))) {
      throw new DomainError(BidErrors.BIDS_SEALED);
    }
    if (em) await this.closeIn(em, briefId);
    else await this.ds.transaction((tx) => this.closeIn(tx, briefId));
  }

  /** Records the closing inside the caller's transaction if it is due and not yet recorded. */
  async closeIn(em: EntityManager, briefId: string): Promise<void> {
    if (!(await this.briefs.closeDue(em, briefId))) return;
    const b = await this.briefs.lockForClose(em, briefId);
    if (!b || b.status !== 'published') return; // recorded meanwhile
    await this.briefs.markClosed(em, briefId);
    const bidders = await this.repo.submittedOfBrief(em, briefId);
    const commitments = bidders.map((r) => ({ bidId: r.id, commitment: r.commitment }));
    await this.repo.insertOpening(em, briefId, b.bids_close_at, commitments);
    await this.audit.record(em, {
      actorId: null,
      organisationId: b.broadcaster_id,
      action: 'brief.closed',
      entityType: 'brief',
      entityId: briefId,
      after: { status: 'closed', commitments },
    });
    await this.outbox.emit(em, 'bids.opened', {
      recipients: {
        organisationIds: [b.broadcaster_id, ...bidders.map((r) => r.studio_id)],
        roles: [...Policy.ManageBriefs.roles, ...Policy.Bid.roles],
      },
      data: { briefId, briefTitle: b.title, bidCount: bidders.length },
    });
  }

  /**
   * The opening record, for the broadcaster's commissioners and admins, the operator and the
   * studios that bid. It names bids, not studios; a bid id leads nowhere for another studio.
   */
  async get(user: AuthUser, briefId: string): Promise<BidOpeningDto> {
    const em = this.ds.manager;
    const brief = await this.briefs.loadVisible(em, user, briefId);
    if (user.organisationKind === 'studio') {
      // A bidder is a studio whose bid counts (submitted or evaluated); a draft or a withdrawn
      // bid is not in the opening, so its studio has nothing to check there.
      if (!(await this.repo.hasCountingBid(em, briefId, user.organisationId))) {
        throw notFound('No bid opening for you here');
      }
    } else if (user.role !== 'operator') {
      if (brief.broadcaster_id !== user.organisationId) throw notFound('Brief not found');
      if (!Policy.ManageBriefs.allows(user)) throw notFound('Brief not found');
    }
    await this.assertUnsealed(briefId);
    const row = await this.repo.findOpening(em, briefId);
    // A brief cancelled before its deadline was never opened.
    if (!row) throw notFound('This brief has no bid opening');
    return { openedAt: row.opened_at.toISOString(), commitments: row.commitments };
  }

  async onDeadline(p: EventPayloads['brief.deadline'], em: EntityManager): Promise<void> {
    const b = await this.briefs.deadlineState(em, p.briefId, p.bidsCloseAt);
    // The deadline moved since this was scheduled: the event for the new deadline will come.
    if (!b?.current) return;
    if (p.kind === 'close') return this.closeIn(em, p.briefId);
    if (!b.open) return;
    const drafts = await this.repo.draftStudioIds(em, p.briefId);
    if (!drafts.length) return;
    await this.outbox.emit(em, 'brief.closing_soon', {
      recipients: { organisationIds: drafts, roles: [...Policy.Bid.roles] },
      data: { briefId: p.briefId, briefTitle: b.title, bidsCloseAt: p.bidsCloseAt },
    });
  }
}
