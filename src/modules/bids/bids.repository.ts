import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transition, transitionOrThrow, type TransitionOptions } from '../../shared/database/transition';
import { cursorTsSql } from '../../shared/http/pagination';
import { briefTitleSql } from '../briefs/brief-sql';
import { joinOrganisation } from '../organisations/organisation-sql';
import { bidLifecycle, countingBidsSql, type BidStatus } from './bid-status';
import type { BidContent } from './bid.mapper';
import type { BidOpeningDto, ScoreDto } from './dto/bid.dto';

/** A bid as the API shows it (with its studio's name). */
export interface BidRow {
  id: string;
  brief_id: string;
  studio_id: string;
  studio_name: string;
  status: BidStatus;
  version: number;
  price_amount: string;
  currency: string;
  content: BidContent;
  over_budget: boolean;
  commitment: string | null;
  nonce: string | null;
  submitted_at: Date | null;
  decision_note: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RankingBidRow {
  id: string;
  studio_id: string;
  studio_name: string;
  status: BidStatus;
  price_amount: string;
  currency: string;
}

export interface ScoreRow {
  bid_id: string;
  evaluator_id: string;
  criterion: string;
  score: number;
}

export interface NewBid {
  briefId: string;
  studioId: string;
  content: BidContent;
  overBudget: boolean;
}

export const BID_COLUMNS = `x.id, x.brief_id, x.studio_id, so.name AS studio_name, x.status, x.version, x.price_amount,
  x.currency, x.content, x.over_budget, x.commitment, x.nonce, x.submitted_at, x.decision_note, x.created_at, x.updated_at`;

export const BID_FROM = `bids x ${joinOrganisation('so', 'x.studio_id')}`;

/** A bid list's position: the last bid's submitted_at (cursorTsSql text, null when unsent) and id. */
export interface BidKeyset {
  submittedAt: string | null;
  id: string;
}

export type BidPageRow = BidRow & { cursor_ts: string | null };

const BID_CURSOR_TS = `${cursorTsSql('x.submitted_at')} AS cursor_ts`;

/**
 * SQL: the bid `x` comes after the keyset in `$n` (has one), `$n+1` (submitted_at) and `$n+2`
 * (id), in the order `submitted_at NULLS LAST, id`.
 */
const AFTER_BID = (n: number): string =>
  `(NOT $${n}::boolean OR CASE WHEN $${n + 1}::timestamptz IS NULL
      THEN x.submitted_at IS NULL AND x.id > $${n + 2}::uuid
      ELSE x.submitted_at IS NULL OR (x.submitted_at, x.id) > ($${n + 1}::timestamptz, $${n + 2}::uuid) END)`;

/** Every statement over bids, bid_versions, bid_scores and bid_openings. */
@Injectable()
export class BidsRepository {
  // --- bids: reads

  async find(em: EntityManager, bidId: string, lock = false): Promise<BidRow | undefined> {
    const [bid] = await em.query<BidRow[]>(
      `SELECT ${BID_COLUMNS} FROM ${BID_FROM} WHERE x.id = $1 ${lock ? 'FOR UPDATE OF x' : ''}`,
      [bidId],
    );
    return bid;
  }

  /** The bid with its brief's title (for the notice after a change). */
  async findWithBriefTitle(
    em: EntityManager,
    bidId: string,
  ): Promise<(BidRow & { brief_title: string }) | undefined> {
    const [row] = await em.query<(BidRow & { brief_title: string })[]>(
      `SELECT ${BID_COLUMNS}, ${briefTitleSql('x.brief_id')} AS brief_title
         FROM ${BID_FROM} WHERE x.id = $1`,
      [bidId],
    );
    return row;
  }

  /** The brief of a studio's own bid (no lock: the brief is locked before the bid). */
  async ownBidBriefId(em: EntityManager, bidId: string, studioId: string): Promise<string | undefined> {
    const [found] = await em.query<{ brief_id: string }[]>(
      'SELECT brief_id FROM bids WHERE id = $1 AND studio_id = $2',
      [bidId, studioId],
    );
    return found?.brief_id;
  }

  /** A studio's own bids on a brief (one at most: bids_brief_studio_key), paged like listCounting. */
  listOfStudio(
    em: EntityManager,
    briefId: string,
    studioId: string,
    after: BidKeyset | null,
    limit: number,
  ): Promise<BidPageRow[]> {
    return em.query<BidPageRow[]>(
      `SELECT ${BID_COLUMNS}, ${BID_CURSOR_TS} FROM ${BID_FROM}
        WHERE x.brief_id = $1 AND x.studio_id = $2 AND ${AFTER_BID(3)}
        ORDER BY x.submitted_at NULLS LAST, x.id LIMIT $6`,
      [briefId, studioId, after !== null, after?.submittedAt ?? null, after?.id ?? null, limit],
    );
  }

  /** The bids that count, by receipt time (NULLS LAST), then id; one page after `after`. */
  listCounting(
    em: EntityManager,
    briefId: string,
    after: BidKeyset | null,
    limit: number,
  ): Promise<BidPageRow[]> {
    return em.query<BidPageRow[]>(
      `SELECT ${BID_COLUMNS}, ${BID_CURSOR_TS} FROM ${BID_FROM}
        WHERE x.brief_id = $1 AND ${countingBidsSql('x')} AND ${AFTER_BID(2)}
        ORDER BY x.submitted_at NULLS LAST, x.id LIMIT $5`,
      [briefId, after !== null, after?.submittedAt ?? null, after?.id ?? null, limit],
    );
  }

  async hasCountingBid(em: EntityManager, briefId: string, studioId: string): Promise<boolean> {
    const [own] = await em.query<unknown[]>(
      `SELECT 1 FROM bids x WHERE x.brief_id = $1 AND x.studio_id = $2 AND ${countingBidsSql('x')}`,
      [briefId, studioId],
    );
    return own !== undefined;
  }

  submittedOfBrief(
    em: EntityManager,
    briefId: string,
  ): Promise<{ id: string; studio_id: string; commitment: string }[]> {
    return em.query(
      `SELECT id, studio_id, commitment FROM bids WHERE brief_id = $1 AND status = 'submitted' ORDER BY commitment`,
      [briefId],
    );
  }

  async draftStudioIds(em: EntityManager, briefId: string): Promise<string[]> {
    const drafts = await em.query<{ studio_id: string }[]>(
      `SELECT studio_id FROM bids WHERE brief_id = $1 AND status = 'draft'`,
      [briefId],
    );
    return drafts.map((d) => d.studio_id);
  }

  rankingBids(em: EntityManager, briefId: string): Promise<RankingBidRow[]> {
    return em.query<RankingBidRow[]>(
      `SELECT x.id, x.studio_id, so.name AS studio_name, x.status, x.price_amount, x.currency
         FROM ${BID_FROM}
        WHERE x.brief_id = $1 AND ${countingBidsSql('x')}`,
      [briefId],
    );
  }

  // --- bids: writes

  async insert(em: EntityManager, bid: NewBid): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO bids (brief_id, studio_id, price_amount, currency, content, over_budget)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
      [
        bid.briefId,
        bid.studioId,
        bid.content.price.amount,
        bid.content.price.currency,
        JSON.stringify(bid.content),
        bid.overBudget,
      ],
    );
    return row!.id;
  }

  async updateContent(
    em: EntityManager,
    bidId: string,
    content: BidContent,
    overBudget: boolean,
  ): Promise<void> {
    await em.query(
      `UPDATE bids SET price_amount = $2, currency = $3, content = $4::jsonb, over_budget = $5,
                         version = version + 1, updated_at = now() WHERE id = $1`,
      [bidId, content.price.amount, content.price.currency, JSON.stringify(content), overBudget],
    );
  }

  async bumpVersion(em: EntityManager, bidId: string): Promise<void> {
    await em.query('UPDATE bids SET version = version + 1, updated_at = now() WHERE id = $1', [bidId]);
  }

  /** The one write of `bids.status` for a single bid (rule 9); undefined if the move is not allowed. */
  transition<R = { id: string; status: BidStatus }>(
    em: EntityManager,
    bidId: string,
    to: BidStatus,
    options: TransitionOptions = {},
  ): Promise<R | undefined> {
    return transition<BidStatus, R>(em, 'bids', bidLifecycle, bidId, to, options);
  }

  /** Submits under a receipt: nonce, commitment and the database time. */
  async seal(em: EntityManager, bidId: string, nonce: string, commitment: string): Promise<void> {
    await transitionOrThrow(em, 'bids', bidLifecycle, bidId, 'submitted', {
      set: 'nonce = $4, commitment = $5, submitted_at = clock_timestamp()',
      params: [nonce, commitment],
    });
  }

  async withdraw(em: EntityManager, bidId: string): Promise<void> {
    await transitionOrThrow(em, 'bids', bidLifecycle, bidId, 'withdrawn', {
      set: 'commitment = NULL, nonce = NULL, submitted_at = NULL, version = version + 1, updated_at = now()',
    });
  }

  /** The broadcaster's decision (shortlisted or rejected) with its note. */
  decide(
    em: EntityManager,
    bidId: string,
    to: 'shortlisted' | 'rejected',
    note: string | null,
  ): Promise<{ id: string; status: BidStatus } | undefined> {
    return this.transition(em, bidId, to, { set: 'decision_note = $4, updated_at = now()', params: [note] });
  }

  /**
   * An amendment sends every submitted bid of the brief back to draft (set-based; the statuses
   * that may become draft are exactly `submitted`).
   */
  async returnSubmittedToDraft(
    em: EntityManager,
    briefId: string,
  ): Promise<{ id: string; studio_id: string; version: number }[]> {
    const [rows] = await em.query<[{ id: string; studio_id: string; version: number }[], number]>(
      `UPDATE bids SET status = 'draft', commitment = NULL, nonce = NULL, submitted_at = NULL,
                       version = version + 1, updated_at = now()
        WHERE brief_id = $1 AND status = ANY($2::text[]) RETURNING id, studio_id, version`,
      [briefId, bidLifecycle.from('draft')],
    );
    return rows;
  }

  // --- award (contracts' award use case, through BidsService)

  async lockOfBrief(
    em: EntityManager,
    briefId: string,
    bidId: string,
  ): Promise<{ id: string; studio_id: string; status: BidStatus } | undefined> {
    const [bid] = await em.query<{ id: string; studio_id: string; status: BidStatus }[]>(
      'SELECT id, studio_id, status FROM bids WHERE id = $1 AND brief_id = $2 FOR UPDATE',
      [bidId, briefId],
    );
    return bid;
  }

  async markAwarded(em: EntityManager, bidId: string): Promise<void> {
    await transitionOrThrow(em, 'bids', bidLifecycle, bidId, 'awarded', { set: 'updated_at = now()' });
  }

  async otherCountingStudioIds(em: EntityManager, briefId: string, bidId: string): Promise<string[]> {
    const others = await em.query<{ studio_id: string }[]>(
      // The awarded bid is $2 (bids_one_awarded_per_brief), so the other counting bids are the
      // submitted, shortlisted and rejected ones.
      `SELECT studio_id FROM bids x WHERE x.brief_id = $1 AND x.id <> $2 AND ${countingBidsSql('x')}`,
      [briefId, bidId],
    );
    return others.map((o) => o.studio_id);
  }

  async awardTerms(
    em: EntityManager,
    bidId: string,
  ): Promise<{ price_amount: string; currency: string; content: BidContent } | undefined> {
    const [row] = await em.query<{ price_amount: string; currency: string; content: BidContent }[]>(
      'SELECT price_amount, currency, content FROM bids WHERE id = $1',
      [bidId],
    );
    return row;
  }

  // --- bid_versions

  async recordVersion(em: EntityManager, bidId: string, actorId: string): Promise<void> {
    await em.query(
      `INSERT INTO bid_versions (bid_id, version, status, price_amount, content, commitment, changed_by)
       SELECT id, version, status, price_amount, content, commitment, $2 FROM bids WHERE id = $1`,
      [bidId, actorId],
    );
  }

  // --- bid_openings

  async insertOpening(
    em: EntityManager,
    briefId: string,
    openedAt: Date,
    commitments: BidOpeningDto['commitments'],
  ): Promise<void> {
    await em.query(`INSERT INTO bid_openings (brief_id, opened_at, commitments) VALUES ($1, $2, $3::jsonb)`, [
      briefId,
      openedAt,
      JSON.stringify(commitments),
    ]);
  }

  async findOpening(
    em: EntityManager,
    briefId: string,
  ): Promise<{ opened_at: Date; commitments: BidOpeningDto['commitments'] } | undefined> {
    const [row] = await em.query<{ opened_at: Date; commitments: BidOpeningDto['commitments'] }[]>(
      'SELECT opened_at, commitments FROM bid_openings WHERE brief_id = $1',
      [briefId],
    );
    return row;
  }

  // --- bid_scores

  async upsertScores(
    em: EntityManager,
    bidId: string,
    evaluatorId: string,
    scores: ScoreDto[],
  ): Promise<void> {
    await em.query(
      `INSERT INTO bid_scores (bid_id, evaluator_id, criterion, score)
       SELECT $1, $2, c, s FROM unnest($3::text[], $4::int[]) AS t(c, s)
       ON CONFLICT ON CONSTRAINT bid_scores_pkey DO UPDATE SET score = excluded.score, updated_at = now()`,
      [bidId, evaluatorId, scores.map((s) => s.criterion), scores.map((s) => s.score)],
    );
  }

  scoresOf(em: EntityManager, bidId: string, evaluatorId: string): Promise<ScoreDto[]> {
    return em.query<ScoreDto[]>(
      'SELECT criterion, score FROM bid_scores WHERE bid_id = $1 AND evaluator_id = $2 ORDER BY criterion',
      [bidId, evaluatorId],
    );
  }

  scoresOfBrief(em: EntityManager, briefId: string): Promise<ScoreRow[]> {
    return em.query<ScoreRow[]>(
      `SELECT s.bid_id, s.evaluator_id, s.criterion, s.score FROM bid_scores s JOIN bids x ON x.id = s.bid_id
        WHERE x.brief_id = $1 ORDER BY s.evaluator_id, s.criterion`,
      [briefId],
    );
  }
}
