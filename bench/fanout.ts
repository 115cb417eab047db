/**
 * Fan-out bench: one `brief.published` to N verified studios interested in the brief's genre
 * (each with an admin and a producer). Measures the time from the publish response to the
 * last in-app notification row. Run by hand:
 *
 *   npm run build && npx ts-node --transpile-only bench/fanout.ts [studios=10000]
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { Client } from 'pg';
import { api, briefBody, register, startServer } from './lib';

const STUDIOS = Number(process.argv[2] ?? 10000);

async function main(): Promise<void> {
  const server = await startServer('fanout');
  const db = new Client({ connectionString: server.env.DATABASE_URL });
  await db.connect();
  try {
    // Studios seeded in SQL (registration through the API would measure argon2, not fan-out).
    const t0 = Date.now();
    await db.query(
      `WITH o AS (
         INSERT INTO organisations (name, kind, country, genres, verified_at)
         SELECT 'Studio ' || g, 'studio', 'GB', '{documentary}', now() FROM generate_series(1, $1) g RETURNING id)
       INSERT INTO users (organisation_id, email, full_name, role, password_hash, email_notifications)
       SELECT o.id, r || '-' || o.id || '@bench.test', 'Bench', r, 'x', false
         FROM o CROSS JOIN (VALUES ('admin'), ('producer')) AS roles(r)`,
      [STUDIOS],
    );
    const seedMs = Date.now() - t0;
    const b = await register(server.base, 'broadcaster');
    const brief = await api(
      server.base,
      'POST',
      '/briefs',
      b.token,
      briefBody('Fan-out brief', 86400_000, 2 * 86400_000),
    );
    const expected = STUDIOS * 2;
    const start = Date.now();
    await api(server.base, 'POST', `/briefs/${brief.id}/publish`, b.token);
    let firstRowMs: number | null = null;
    for (;;) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications WHERE type = 'brief.published'`,
      );
      const n = rows[0]!.n;
      if (n > 0 && firstRowMs === null) firstRowMs = Date.now() - start;
      if (n >= expected) break;
      if (Date.now() - start > 120_000) throw new Error(`only ${n} of ${expected} after 120 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const totalMs = Date.now() - start;
    const result = {
      at: new Date().toISOString(),
      studios: STUDIOS,
      notifications: expected,
      seedMs,
      publishToFirstRowMs: firstRowMs,
      publishToLastRowMs: totalMs,
      firstToLastRowMs: totalMs - (firstRowMs ?? 0),
      rowsPerSecond: Math.round(expected / ((totalMs - (firstRowMs ?? 0)) / 1000)),
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    appendFileSync('bench/results/fanout.jsonl', `${JSON.stringify(result)}\n`);
  } finally {
    await db.end();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
