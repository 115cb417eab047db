// SQL pieces of the brief list: the status filter and the full-text query.
import { deadlinePassedSql, type BriefStatus } from './brief-status';

/**
 * The status filter, written so the (status, genre, created_at, id) index serves it: `published`
 * and `closed` are split by the deadline (database clock) instead of filtering on a computed value.
 */
export function statusFilterSql(status: BriefStatus | undefined, param: string): string {
  switch (status) {
    case undefined:
      return `${param}::text IS NULL`;
    case 'published':
      // bidsOpenSql('b'), with the status as the parameter: the statement must name ${param}.
      return `(b.status = ${param} AND b.bids_close_at > now())`;
    case 'closed':
      return `(b.status = ${param} OR ${deadlinePassedSql('b')})`;
    case 'draft':
    case 'awarded':
    case 'cancelled':
      return `b.status = ${param}`;
  }
}

/** Turns words into a prefix-matching tsquery: "қазақ кино" → "қазақ:* & кино:*". */
export function toPrefixQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  return words?.length
    ? words
        .slice(0, 10)
        .map((w) => `${w}:*`)
        .join(' & ')
    : null;
}

/**
 * How far a text search walks the newest briefs (by the created_at index) before it gives up on
 * the walk. A query that matches often (most do: "деректі", "кино") fills a page within the
 * first rows of the walk; sorting every match instead costs as much as there are matches. A
 * query that matches rarely finds less than a page in the walk and falls back to the GIN index
 * (searchMatchesSql), where sorting its few matches is cheap. PostgreSQL cannot tell the two
 * cases apart by itself: it estimates an AND of two words as if they were unrelated and chose a
 * 28,000-row sort for "қазақ дала" at 100k briefs (0.5 s), and it walked all 90,000 published
 * briefs for a word that matches none (0.5 s). Both now take about 10 ms (bench/README.md).
 */
export const SEARCH_WALK_ROWS = 2000;

/**
 * The page of briefs matching `filters` (which select from `briefs b`) and the text query
 * `tsqueryParam`, found by walking the newest SEARCH_WALK_ROWS of them; the LIMIT in the inner
 * query keeps PostgreSQL from pushing the text match down to the GIN index.
 */
export function searchWalkSql(filters: string, tsqueryParam: string, limitParam: string): string {
  return `SELECT w.id FROM (
      SELECT b.id, b.created_at, b.search FROM briefs b WHERE ${filters}
       ORDER BY b.created_at DESC, b.id DESC LIMIT ${SEARCH_WALK_ROWS}) w
    WHERE w.search @@ to_tsquery('simple', ${tsqueryParam})
    ORDER BY w.created_at DESC, w.id DESC LIMIT ${limitParam}`;
}

/**
 * The page of briefs matching `filters` and the text query, from every match the GIN index
 * finds (materialised, so the planner cannot trade the index for a walk), sorted newest first.
 */
export function searchMatchesSql(filters: string, tsqueryParam: string, limitParam: string): string {
  return `WITH m AS MATERIALIZED (
      SELECT b.id, b.created_at FROM briefs b
       WHERE b.search @@ to_tsquery('simple', ${tsqueryParam}) AND ${filters})
    SELECT m.id FROM m ORDER BY m.created_at DESC, m.id DESC LIMIT ${limitParam}`;
}
