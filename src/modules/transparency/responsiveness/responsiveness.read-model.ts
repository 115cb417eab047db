import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { effectiveStatusSql } from '../../briefs/brief-status';

// A read model (table-owners: *.read-model.ts may read, never write, other modules' tables): a
// broadcaster's responsiveness reads the briefs and questions (briefs), contracts and milestones
// (contracts), invoices (finance), idea calls and ideas (ideas) and the organisation itself.

export type ResponsivenessMetric = 'questions' | 'decisions' | 'reviews' | 'payments' | 'ideas';

/** One metric's figures, as computed by PostgreSQL (days rounded to 2 decimals, shares to 4). */
export interface MetricRow {
  metric: ResponsivenessMetric;
  n: number;
  median_days: number | null;
  p90_days: number | null;
  open: number;
  oldest_open_days: number | null;
  /** Questions only: the share of the measured answers given before questionsCloseAt. */
  answered_before_close: number | null;
}

export interface ResponsivenessRows {
  from: Date;
  to: Date;
  /** Only the metrics with at least one measured or open item. */
  metrics: MetricRow[];
}

/** A row of the figures query: the window, and one metric's figures (metric null: none at all). */
type FigureRow = Omit<MetricRow, 'metric'> & {
  metric: ResponsivenessMetric | null;
  from_at: Date;
  to_at: Date;
};

/** The window's start: twelve months before the database clock (`now()` is the window's end). */
const SINCE = `now() - interval '12 months'`;

/** Days from `start` to `end`, fractional. */
const days = (start: string, end: string): string =>
  `(extract(epoch FROM ${end} - ${start}) / 86400)::float8`;

/**
 * `= ANY` the ids of the broadcaster's rows of `table` (its `broadcaster_id` index): the items'
 * tables are then read by their parent's index (questions_brief_idx,
 * milestones_contract_sequence_key, ideas_call_received_idx), never scanned whole, however
 * large a share of them the broadcaster owns.
 */
const ofBroadcaster = (table: string, where = ''): string =>
  `= ANY(ARRAY(SELECT id FROM ${table} WHERE broadcaster_id = $1 ${where}))`;

/**
 * Every item of the five metrics as one row `(metric, days, waiting_since, on_time)`: a measured
 * item has `days` (its wait ended within the window), an open one `waiting_since` (its wait began
 * within the window and has not ended). `on_time` is the questions' "answered before
 * questionsCloseAt". $1 is the broadcaster.
 */
const ITEMS_SQL = `
  -- Questions: answeredAt − askedAt. Unanswered questions wait, except on a cancelled brief,
  -- where no answer is possible any more.
  SELECT 'questions' AS metric, ${days('q.asked_at', 'q.answered_at')} AS days,
         NULL::timestamptz AS waiting_since, q.answered_at < b.questions_close_at AS on_time
    FROM questions q JOIN briefs b ON b.id = q.brief_id
   WHERE q.brief_id ${ofBroadcaster('briefs')} AND q.answered_at >= ${SINCE}
  UNION ALL
  SELECT 'questions', NULL, q.asked_at, NULL
    FROM questions q
   WHERE q.brief_id ${ofBroadcaster('briefs', `AND status <> 'cancelled'`)}
     AND q.answered_at IS NULL AND q.asked_at >= ${SINCE}
  UNION ALL
  -- Decisions: the award (its contract's creation) or the cancellation − bidsCloseAt. A brief
  -- cancelled before its deadline owed no decision; a closed brief with neither waits.
  SELECT 'decisions', ${days('b.bids_close_at', 'c.created_at')}, NULL, NULL
    FROM contracts c JOIN briefs b ON b.id = c.brief_id
   WHERE c.broadcaster_id = $1 AND c.created_at >= ${SINCE}
  UNION ALL
  SELECT 'decisions', ${days('b.bids_close_at', 'b.cancelled_at')}, NULL, NULL
    FROM briefs b
   WHERE b.broadcaster_id = $1 AND b.published_at IS NOT NULL
     AND b.cancelled_at >= ${SINCE} AND b.cancelled_at >= b.bids_close_at
  UNION ALL
  SELECT 'decisions', NULL, b.bids_close_at, NULL
    FROM briefs b
   WHERE b.broadcaster_id = $1 AND ${effectiveStatusSql('b')} = 'closed' AND b.bids_close_at >= ${SINCE}
  UNION ALL
  -- Reviews: the decision (accept or request changes) − the submission. A milestone keeps the
  -- times of its latest round only, so each milestone counts its latest review.
  SELECT 'reviews', ${days('m.submitted_at', 'm.reviewed_at')}, NULL, NULL
    FROM milestones m
   WHERE m.contract_id ${ofBroadcaster('contracts')}
     AND m.reviewed_at >= ${SINCE} AND m.reviewed_at >= m.submitted_at
  UNION ALL
  SELECT 'reviews', NULL, m.submitted_at, NULL
    FROM milestones m
   WHERE m.contract_id ${ofBroadcaster('contracts')} AND m.status = 'submitted' AND m.submitted_at >= ${SINCE}
  UNION ALL
  -- Payments: the invoice's paidAt (recorded by the database clock when its payout is marked
  -- paid) − its issue.
  SELECT 'payments', ${days('i.issued_at', 'i.paid_at')}, NULL, NULL
    FROM invoices i
   WHERE i.broadcaster_id = $1 AND i.paid_at >= ${SINCE}
  UNION ALL
  SELECT 'payments', NULL, i.issued_at, NULL
    FROM invoices i
   WHERE i.broadcaster_id = $1 AND i.status = 'open' AND i.issued_at >= ${SINCE}
  UNION ALL
  -- Ideas: the first of the published answer and the first decision (approve or reject) −
  -- receipt. A pending idea without an answer waits; a withdrawn one no longer does.
  SELECT 'ideas', ${days('i.received_at', 'least(i.answered_at, i.decided_at)')}, NULL, NULL
    FROM ideas i
   WHERE i.call_id ${ofBroadcaster('idea_calls')} AND least(i.answered_at, i.decided_at) >= ${SINCE}
  UNION ALL
  SELECT 'ideas', NULL, i.received_at, NULL
    FROM ideas i
   WHERE i.call_id ${ofBroadcaster('idea_calls')} AND i.status = 'pending' AND i.answered_at IS NULL
     AND i.received_at >= ${SINCE}`;

/** Rounded to `places` decimals, as a JSON number. */
const round = (expr: string, places: number): string => `round((${expr})::numeric, ${places})::float8`;

/** The SQL of a broadcaster's responsiveness figures over the last 12 months (database clock). */
@Injectable()
export class ResponsivenessReadModel {
  /**
   * The window and the figures of each metric with any item, in one statement (one snapshot,
   * one `now()`); null when `organisationId` is not a broadcaster.
   */
  async figures(em: EntityManager, organisationId: string): Promise<ResponsivenessRows | null> {
    const rows = await em.query<FigureRow[]>(
      `WITH items AS (${ITEMS_SQL}),
       figures AS (
         SELECT metric, count(days)::int AS n,
                ${round('percentile_cont(0.5) WITHIN GROUP (ORDER BY days)', 2)} AS median_days,
                ${round('percentile_cont(0.9) WITHIN GROUP (ORDER BY days)', 2)} AS p90_days,
                count(waiting_since)::int AS open,
                ${round(days('min(waiting_since)', 'now()'), 2)} AS oldest_open_days,
                ${round('avg(on_time::int)', 4)} AS answered_before_close
           FROM items GROUP BY metric)
       SELECT ${SINCE} AS from_at, now() AS to_at, f.*
         FROM organisations o LEFT JOIN figures f ON true
        WHERE o.id = $1 AND o.kind = 'broadcaster'`,
      [organisationId],
    );
    const first = rows[0];
    if (!first) return null;
    return {
      from: first.from_at,
      to: first.to_at,
      metrics: rows.filter((r): r is FigureRow & MetricRow => r.metric !== null),
    };
  }
}
