import type { EntityManager } from 'typeorm';
import type { OutboxRow } from './events';
import { OUTBOX_BACKLOG_SQL } from './outbox-sql';

// Every statement over the outbox table (shared/outbox owns it). Functions taking the caller's
// EntityManager, so each runs in the transaction of the use case that calls it.

/** A due event as the relay claims it. */
export interface RelayRow {
  id: string;
  type: string;
  publish_count: number;
}

/** Inserts one event; `availableAt` null means now. Answers its id. */
export async function insertEvent(
  em: EntityManager,
  type: string,
  payloadJson: string,
  availableAt: string | null,
): Promise<string> {
  const [row] = await em.query<{ id: string }[]>(
    `INSERT INTO outbox (type, payload, available_at) VALUES ($1, $2::jsonb, coalesce($3::timestamptz, now()))
       RETURNING id`,
    [type, payloadJson, availableAt],
  );
  return row!.id;
}

/** Stamps one event handled unless it is already. */
export async function markEventHandled(em: EntityManager, id: string): Promise<void> {
  await em.query('UPDATE outbox SET handled_at = now() WHERE id = $1 AND handled_at IS NULL', [id]);
}

/**
 * Claims up to `limit` due, unpublished events, locked, skipping rows another relay holds. In the
 * order of outbox_due_idx (available_at, id): the first rows of the index, however long the
 * backlog (ORDER BY id alone sorted every due row on every tick).
 */
export function claimDueEvents(em: EntityManager, limit: number): Promise<RelayRow[]> {
  return em.query<RelayRow[]>(
    `SELECT id, type, publish_count FROM outbox
          WHERE published_at IS NULL AND available_at <= now()
          ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
}

/** Records one more publication of the claimed events. */
export async function markEventsPublished(em: EntityManager, ids: string[]): Promise<void> {
  await em.query(
    'UPDATE outbox SET published_at = now(), publish_count = publish_count + 1 WHERE id = ANY($1::bigint[])',
    [ids],
  );
}

/**
 * Returns to the relay the events published more than `afterSeconds` ago and not handled, below
 * `maxPublications`; answers how many.
 */
export async function unpublishUnhandledEvents(
  em: EntityManager,
  afterSeconds: number,
  maxPublications: number,
): Promise<number> {
  const rows = await em.query<[unknown[], number] | unknown[]>(
    `UPDATE outbox SET published_at = NULL
        WHERE handled_at IS NULL AND published_at IS NOT NULL
          AND published_at < now() - make_interval(secs => $1) AND publish_count < $2
          -- webhook deliveries retry for more than a day in their own queue
          AND (type <> 'webhook.deliver' OR published_at < now() - interval '36 hours')
        RETURNING id`,
    [afterSeconds, maxPublications],
  );
  // TypeORM answers an UPDATE as [rows, affected].
  return Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
}

/**
 * Stamps the events handled and answers those that were not yet, locking their rows in the same
 * round trip (a second run waits on the locks, then gets no rows; a rollback undoes the stamp).
 * Everything a handler writes derives from its event, which committed durably with the change
 * that raised it. If PostgreSQL crashes before this transaction's commit reaches the disk, the
 * events are simply unhandled again and the sweeper re-publishes them, so the commit need not
 * wait for the WAL flush (asynchronous commit: set_config(…, true) is SET LOCAL). An e-mail sent
 * just before such a crash may go out twice, as after any crash between the send and the commit.
 */
export async function stampEventsHandled(em: EntityManager, ids: string[]): Promise<OutboxRow[]> {
  const [rows] = await em.query<[OutboxRow[], number]>(
    `UPDATE outbox SET handled_at = now()
          WHERE id = ANY($1::bigint[]) AND handled_at IS NULL
            AND set_config('synchronous_commit', 'off', true) = 'off'
         RETURNING id, type, payload`,
    [ids],
  );
  return rows;
}

/**
 * How many outbox events are due but not yet handed to a queue (health and metrics report it).
 * Rejects when the database is unreachable: callers report that as "down".
 */
export async function countOutboxBacklog(em: EntityManager): Promise<number | undefined> {
  const [row] = await em.query<{ n: number }[]>(OUTBOX_BACKLOG_SQL);
  return row?.n;
}
