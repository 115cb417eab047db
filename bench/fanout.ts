/**
 * Scenario 7, fan-out: one `brief.published` to N verified studios interested in the brief's
 * genre (one admin each, so N in-app notifications; e-mail off for the seeded users, so the
 * figure is the in-app fan-out). Measures from the start of the event's job (BullMQ
 * `processedOn`) and from the publish response to the moment the last row is visible (polled
 * every 10 ms). Goal: N = 10,000 rows written ≤ 0.5 s after the job starts.
 *
 *   npm run build && npx ts-node --transpile-only bench/fanout.ts [studios=10000] [runs=3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { api, briefBody, register, startServer, median } from './lib';

export interface FanoutRun {
  run: number;
  rows: number;
  jobStartToLastRowMs: number;
  publishToLastRowMs: number;
  jobDurationMs: number;
}
export interface FanoutResult {
  studios: number;
  runs: FanoutRun[];
  medianJobStartToLastRowMs: number;
  medianPublishToLastRowMs: number;
  pass: boolean;
}

export async function runFanoutScenario(studios = 10_000, runs = 3): Promise<FanoutResult> {
  const server = await startServer('fanout');
  const db = new Client({ connectionString: server.env.DATABASE_URL });
  await db.connect();
  const queue = new Queue('outbox', {
    prefix: server.env.QUEUE_PREFIX,
    connection: { host: '127.0.0.1', port: 6379 },
  });
  try {
    // Studios seeded in SQL (registration through the API would measure argon2, not fan-out).
    await db.query(
      `WITH o AS (
         INSERT INTO organisations (name, kind, country, genres, verified_at)
         SELECT 'Studio ' || g, 'studio', 'GB', '{documentary}', now() FROM generate_series(1, $1) g RETURNING id)
       INSERT INTO users (organisation_id, email, full_name, role, password_hash, email_notifications)
       SELECT o.id, 'admin-' || o.id || '@bench.test', 'Bench', 'admin', 'x', false FROM o`,
      [studios],
    );
    await db.query('VACUUM ANALYZE organisations, users');
    const b = await register(server.base, 'broadcaster');
    const out: FanoutRun[] = [];
    for (let run = 1; run <= runs; run++) {
      const brief = await api(
        server.base,
        'POST',
        '/briefs',
        b.token,
        briefBody(`Fan-out brief ${run}`, 86400_000, 2 * 86400_000),
      );
      const start = Date.now();
      await api(server.base, 'POST', `/briefs/${brief.id}/publish`, b.token);
      let lastRowAt = 0;
      for (;;) {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notifications n JOIN outbox o ON o.id = n.event_id
            WHERE o.type = 'brief.published' AND o.payload->'data'->>'briefId' = $1`,
          [brief.id],
        );
        if (rows[0]!.n >= studios) {
          lastRowAt = Date.now();
          break;
        }
        if (Date.now() - start > 120_000) throw new Error(`only ${rows[0]!.n} of ${studios} after 120 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const [event] = (
        await db.query<{ id: string }>(
          `SELECT id FROM outbox WHERE type = 'brief.published' AND payload->'data'->>'briefId' = $1`,
          [brief.id],
        )
      ).rows;
      const job = await queue.getJob(`outbox-${event!.id}-0`);
      if (!job?.processedOn) throw new Error('the fan-out job is not in Redis');
      const r: FanoutRun = {
        run,
        rows: studios,
        jobStartToLastRowMs: lastRowAt - job.processedOn,
        publishToLastRowMs: lastRowAt - start,
        jobDurationMs: (job.finishedOn ?? lastRowAt) - job.processedOn,
      };
      console.log(`fan-out run ${run}: ${JSON.stringify(r)}`);
      out.push(r);
    }
    const medianJob = median(out.map((r) => r.jobStartToLastRowMs));
    return {
      studios,
      runs: out,
      medianJobStartToLastRowMs: medianJob,
      medianPublishToLastRowMs: median(out.map((r) => r.publishToLastRowMs)),
      pass: medianJob <= 500,
    };
  } finally {
    await queue.close();
    await db.end();
    await server.stop();
  }
}

if (require.main === module) {
  runFanoutScenario(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 3))
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      mkdirSync('bench/results', { recursive: true });
      writeFileSync(
        `bench/results/${new Date().toISOString().slice(0, 10)}-fanout.json`,
        JSON.stringify(r, null, 2) + '\n',
      );
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
