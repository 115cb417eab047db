// Outbox pipeline drain: N committed `bid.submitted` events (one recipient each) at once; the
// app's in-process relay publishes them to BullMQ and its worker (concurrency 10) handles them.
// Measures from the commit to the moment none of them is unhandled. Goal: ≥ 1,500 events/s.
import { Client } from 'pg';

export interface DrainResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  notifications: number;
}

export async function runPipelineDrain(databaseUrl: string, events = 20_000): Promise<DrainResult> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // Recipients: existing users with e-mail off, one per event, as a bid receipt would have.
    const { rows } = await db.query<{ first: string; last: string }>(
      `WITH u AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE NOT email_notifications
                   ORDER BY id LIMIT 5000),
            ins AS (
              INSERT INTO outbox (type, payload)
              SELECT 'bid.submitted', jsonb_build_object(
                       'recipients', jsonb_build_object('userIds', jsonb_build_array(u.id)),
                       'data', jsonb_build_object('briefId', md5('drain-brief' || g)::uuid, 'bidId', md5('drain-bid' || g)::uuid,
                                                  'briefTitle', 'Drain ' || g))
                FROM generate_series(1, $1::int) g JOIN u ON u.n = 1 + g % (SELECT count(*) FROM u)
              RETURNING id)
       SELECT min(id)::text AS first, max(id)::text AS last FROM ins`,
      [events],
    );
    const t0 = Date.now();
    const { first, last } = rows[0]!;
    for (;;) {
      // Both counts read small partial indexes (outbox_due_idx, outbox_unhandled_idx): the probe
      // must not cost the database more than the pipeline it measures.
      const left = (
        await db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL AND available_at <= now() AND id BETWEEN $1 AND $2)::int
                + (SELECT count(*) FROM outbox WHERE published_at IS NOT NULL AND handled_at IS NULL AND id BETWEEN $1 AND $2)::int AS n`,
          [first, last],
        )
      ).rows[0]!.n;
      if (left === 0) break;
      if (Date.now() - t0 > 300_000) throw new Error(`${left} events still unhandled after 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - t0) / 1000;
    const notifications = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications WHERE event_id BETWEEN $1 AND $2`,
        [first, last],
      )
    ).rows[0]!.n;
    if (notifications !== events) throw new Error(`${notifications} notifications for ${events} events`);
    return { events, seconds, eventsPerSecond: Math.round(events / seconds), notifications };
  } finally {
    await db.end();
  }
}
