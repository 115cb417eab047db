import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { EventPayloads } from '../../shared/outbox/events';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { bidsOpenSql, deadlinePassedSql } from '../briefs/brief-status';
import { BRIEF_MANAGERS, BriefsService, STUDIO_ACTORS } from '../briefs/briefs.service';
import { LIVE_BID_STATUSES } from './bid-status';
import { BidErrors } from './bids.errors';
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
    private readonly briefs: BriefsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  /** BIDS_SEALED before the deadline; after it, makes sure the closing is recorded. */
  async assertUnsealed(briefId: string, em?: EntityManager): Promise<void> {
    const [b] = await (em ?? this.ds.manager).query<{ past: boolean }[]>(
      'SELECT bids_close_at IS NOT NULL AND bids_close_at <= now() AS past FROM briefs WHERE id = $1',
      [briefId],
    );
    if (!b?.past) throw new DomainError(BidErrors.BIDS_SEALED);
    if (em) await this.closeIn(em, briefId);
    else await this.ds.transaction((tx) => this.closeIn(tx, briefId));
  }

  /** Records the closing inside the caller's transaction if it is due and not yet recorded. */
  async closeIn(em: EntityManager, briefId: string): Promise<void> {
    const [due] = await em.query<{ due: boolean }[]>(
      `SELECT ${deadlinePassedSql()} AS due FROM briefs WHERE id = $1`,
      [briefId],
    );
    if (!due?.due) return;
    const [b] = await em.query<
      { status: string; title: string; broadcaster_id: string; bids_close_at: Date }[]
    >('SELECT status, title, broadcaster_id, bids_close_at FROM briefs WHERE id = $1 FOR UPDATE', [briefId]);
    if (!b || b.status !== 'published') return; // recorded meanwhile
    await em.query(
      `UPDATE briefs SET status = 'closed', closed_at = now(), updated_at = now() WHERE id = $1`,
      [briefId],
    );
    const bidders = await em.query<{ id: string; studio_id: string; commitment: string }[]>(
      `SELECT id, studio_id, commitment FROM bids WHERE brief_id = $1 AND status = 'submitted' ORDER BY commitment`,
      [briefId],
    );
    const commitments = bidders.map((r) => ({ bidId: r.id, commitment: r.commitment }));
    await em.query(`INSERT INTO bid_openings (brief_id, opened_at, commitments) VALUES ($1, $2, $3::jsonb)`, [
      briefId,
      b.bids_close_at,
      JSON.stringify(commitments),
    ]);
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
        roles: [...BRIEF_MANAGERS, ...STUDIO_ACTORS],
      },
      data: { briefId, briefTitle: b.title, bidCount: bidders.length },
    });
  }

  /**
   * The opening record, for the broadcaster's commissioners and admins, the operator and the
   * studios that bid. It names bids, not studios; a bid id leads nowhere for another studio.
   */
  async get(user: AuthUser, briefId: string): Promise<BidOpeningDto> {
    const brief = await this.briefs.loadVisible(this.ds.manager, user, briefId);
    if (user.organisationKind === 'studio') {
      // A bidder is a studio whose bid counts (submitted or evaluated); a draft or a withdrawn
      // bid is not in the opening, so its studio has nothing to check there.
      const [own] = await this.ds.query<unknown[]>(
        `SELECT 1 FROM bids WHERE brief_id = $1 AND studio_id = $2 AND status = ANY($3::text[])`,
        [briefId, user.organisationId, LIVE_BID_STATUSES],
      );
      if (!own) throw notFound('No bid opening for you here');
    } else if (user.role !== 'operator') {
      if (brief.broadcaster_id !== user.organisationId) throw notFound('Brief not found');
      if (!BRIEF_MANAGERS.includes(user.role)) throw notFound('Brief not found');
    }
    await this.assertUnsealed(briefId);
    const [row] = await this.ds.query<{ opened_at: Date; commitments: BidOpeningDto['commitments'] }[]>(
      'SELECT opened_at, commitments FROM bid_openings WHERE brief_id = $1',
      [briefId],
    );
    // A brief cancelled before its deadline was never opened.
    if (!row) throw notFound('This brief has no bid opening');
    return { openedAt: row.opened_at.toISOString(), commitments: row.commitments };
  }

  async onDeadline(p: EventPayloads['brief.deadline'], em: EntityManager): Promise<void> {
    const [b] = await em.query<{ current: boolean; open: boolean; title: string }[]>(
      `SELECT bids_close_at = $2::timestamptz AS current, ${bidsOpenSql()} AS open, title
         FROM briefs WHERE id = $1`,
      [p.briefId, p.bidsCloseAt],
    );
    // The deadline moved since this was scheduled: the event for the new deadline will come.
    if (!b?.current) return;
    if (p.kind === 'close') return this.closeIn(em, p.briefId);
    if (!b.open) return;
    const drafts = await em.query<{ studio_id: string }[]>(
      `SELECT studio_id FROM bids WHERE brief_id = $1 AND status = 'draft'`,
      [p.briefId],
    );
    if (!drafts.length) return;
    await this.outbox.emit(em, 'brief.closing_soon', {
      recipients: { organisationIds: drafts.map((d) => d.studio_id), roles: [...STUDIO_ACTORS] },
      data: { briefId: p.briefId, briefTitle: b.title, bidsCloseAt: p.bidsCloseAt },
    });
  }
}
