import type { EventType } from './events';

// The outbox table belongs to shared/outbox. A module that must touch it inside one of its own
// statements (a fan-out that queues events per inserted row, a job that reads its own event's
// payload) takes these fragments instead of naming the table.

/** `INSERT INTO outbox` of one event of `type` per row of `from`, the payload built by `payloadSql`. */
export function insertEventsSql(type: EventType, payloadSql: string, from: string): string {
  return `INSERT INTO outbox (type, payload) SELECT '${type}', ${payloadSql} FROM ${from}`;
}

/** The text of `field` of the payload of outbox event `idParam` (a scalar subquery). */
export function eventPayloadFieldSql(idParam: string, field: string): string {
  if (!/^\w+$/.test(field)) throw new Error(`not a payload field name: ${field}`);
  return `(SELECT o.payload->>'${field}' FROM outbox o WHERE o.id = ${idParam})`;
}

/**
 * When outbox event `idParam` was written (a scalar subquery): `now()` of the transaction that
 * emitted it, so it equals the timestamps that transaction wrote with `now()`.
 */
export function eventTimeSql(idParam: string): string {
  return `(SELECT o.created_at FROM outbox o WHERE o.id = ${idParam})`;
}

/** Events due and not yet published to Redis (health and metrics report it). */
export const OUTBOX_BACKLOG_SQL = `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND available_at <= now()`;
