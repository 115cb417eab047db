// SQL pieces of the brief list: the status filter and the full-text query.
import type { BriefStatus } from './brief-status';

/**
 * The status filter, written so the (status, genre, created_at, id) index serves it: `published`
 * and `closed` are split by the deadline (database clock) instead of filtering on a computed value.
 */
export function statusFilterSql(status: BriefStatus | undefined, param: string): string {
  switch (status) {
    case undefined:
      return `${param}::text IS NULL`;
    case 'published':
      return `(b.status = ${param} AND b.bids_close_at > now())`;
    case 'closed':
      return `(b.status = ${param} OR (b.status = 'published' AND b.bids_close_at <= now()))`;
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
