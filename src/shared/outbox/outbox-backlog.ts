import type { EntityManager } from 'typeorm';
import { OUTBOX_BACKLOG_SQL } from './outbox-sql';

/**
 * How many outbox events are due but not yet handed to a queue (health and metrics report it).
 * Rejects when the database is unreachable: callers report that as "down".
 */
export async function countOutboxBacklog(em: EntityManager): Promise<number | undefined> {
  const [row] = await em.query<{ n: number }[]>(OUTBOX_BACKLOG_SQL);
  return row?.n;
}
