// Scenarios 4 and 5, the bid rush, and the outbox pipeline under that load.
//   4 spread: 500 studios submit to 50 briefs (consecutive requests hit different briefs);
//   5 hot:    the same rush against ONE brief at a time (every request takes that row's lock).
// Each run gets its own fresh briefs, so every (brief, studio) pair is posted at most once and a
// 409 or a 5xx is a real failure. After every run the database must hold exactly one bid, one
// version row, one audit event and one outbox event per 201 the load generator counted.
// App runs also sample the outbox backlog (due events not yet handled) every 100 ms, and the
// time it takes to reach 0 once the load stops.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { accessToken, startBaseline, summarise, wrk, type AbRun, type AbSummary } from './lib';

const SPREAD = { studios: 500, briefs: 50 };
const HOT_STUDIOS = 5000;
const HOT_BRIEFS = 3;
const CONNECTIONS = 32; // wrk -c32 (bench/lib.ts)

export interface RushCheck {
  created: number;
  bids: number;
  versions: number;
  audit: number;
  outbox: number;
  exact: boolean;
}
export interface PipelineSample {
  round: number;
  scenario: string;
  maxBacklog: number;
  drainMs: number;
}
export interface WriteResult {
  runs: (AbRun & { check: RushCheck })[];
  summary: Record<string, AbSummary & { errors: number; conflicts: number; serverErrors: number }>;
  deadlocks: number;
  pipeline: PipelineSample[];
}

/** Rush studios (verified, one producer each) and a broadcaster, in SQL; returns producer tokens. */
async function seedStudios(db: Client): Promise<string[]> {
  await db.query(`
    INSERT INTO organisations (id, name, kind, country, genres, verified_at)
    SELECT md5('rush-studio' || g)::uuid, 'Rush studio ' || g, 'studio', 'KZ', '{drama}'::text[], now()
      FROM generate_series(1, ${HOT_STUDIOS}) g
    UNION ALL SELECT md5('rush-broadcaster')::uuid, 'Rush broadcaster', 'broadcaster', 'KZ', '{}'::text[], now()
    ON CONFLICT DO NOTHING`);
  await db.query(`
    INSERT INTO users (id, organisation_id, email, full_name, role, password_hash, email_notifications)
    SELECT md5('rush-user' || g)::uuid, md5('rush-studio' || g)::uuid, 'rush' || g || '@bench.test', 'Rush ' || g,
           'producer', 'bench-no-login', false
      FROM generate_series(1, ${HOT_STUDIOS}) g
    UNION ALL SELECT md5('rush-commissioner')::uuid, md5('rush-broadcaster')::uuid, 'rush-commissioner@bench.test',
           'Rush commissioner', 'commissioner', 'bench-no-login', false
    ON CONFLICT DO NOTHING`);
  const { rows } = await db.query<{ user_id: string; org_id: string }>(
    `SELECT md5('rush-user' || g)::uuid AS user_id, md5('rush-studio' || g)::uuid AS org_id
       FROM generate_series(1, ${HOT_STUDIOS}) g ORDER BY g`,
  );
  return rows.map((r) => accessToken({ sub: r.user_id, org: r.org_id, kind: 'studio', role: 'producer' }));
}

let briefCounter = 0;
/** `n` fresh published briefs, open for bids for 30 days. */
async function freshBriefs(db: Client, n: number): Promise<string[]> {
  const from = briefCounter + 1;
  briefCounter += n;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO briefs (id, broadcaster_id, created_by, status, title, synopsis, genre, format, episodes,
                         episode_minutes, languages, budget_min, budget_max, currency, rights, delivery_spec,
                         questions_close_at, bids_close_at, delivery_due_at, criteria, visibility, published_at)
     SELECT overlay(overlay(md5('rush-brief' || k) placing '4' from 13) placing '8' from 17)::uuid,
            md5('rush-broadcaster')::uuid, md5('rush-commissioner')::uuid,
            'published', 'Rush brief ' || k, 'Бәсеке: соңғы минуттағы өтінімдер.', 'drama', 'series', 8, 45,
            '{kk,ru}', 100000000, 50000000000, 'KZT',
            '{"territories":["KZ"],"licenceYears":3,"runs":2,"platforms":["linear"]}'::jsonb,
            '{"notes":"ProRes 422 HQ"}'::jsonb, now() + interval '20 days', now() + interval '30 days',
            now() + interval '200 days', '[{"name":"price","weight":40},{"name":"team","weight":60}]'::jsonb,
            'open', now()
       FROM generate_series($1::int, $2::int) k ORDER BY k
     RETURNING id`,
    [from, from + n - 1],
  );
  return rows.map((r) => r.id);
}

function bidBody(): string {
  const due = (days: number): string => new Date(Date.now() + days * 86400_000).toISOString();
  const price = 250_000_000_00;
  return JSON.stringify({
    price: { amount: price, currency: 'KZT' },
    breakdown: [
      { label: 'Production', amount: { amount: (price / 5) * 3, currency: 'KZT' } },
      { label: 'Post-production', amount: { amount: (price / 5) * 2, currency: 'KZT' } },
    ],
    milestones: [
      { title: 'Scripts', share: 30, dueAt: due(60) },
      { title: 'Rough cut', share: 30, dueAt: due(120) },
      { title: 'Master', share: 40, dueAt: due(200) },
    ],
    creativeApproach: 'Observational, with archive sound. Бақылау стилі, мұрағат дыбысы.',
    team: 'Director A. Ахметова; DoP B. Серіков',
    submit: true,
  });
}

/** Every 201 has its bid, and every bid exactly one version row, audit event and outbox event. */
async function check(db: Client, briefs: string[], created: number): Promise<RushCheck> {
  const { rows } = await db.query<Omit<RushCheck, 'created' | 'exact'>>(
    `WITH b AS (SELECT id FROM bids WHERE brief_id = ANY($1::uuid[]))
     SELECT (SELECT count(*)::int FROM b) AS bids,
            (SELECT count(*)::int FROM bid_versions v JOIN b ON b.id = v.bid_id) AS versions,
            (SELECT count(*)::int FROM audit_events a JOIN b ON a.entity_type = 'bid' AND a.entity_id = b.id::text) AS audit,
            (SELECT count(*)::int FROM outbox o JOIN b ON o.type = 'bid.submitted' AND o.payload->'data'->>'bidId' = b.id::text) AS outbox`,
    [briefs],
  );
  const r = rows[0]!;
  // wrk stops with up to 32 requests in flight: the server may commit those without wrk
  // counting their 201, so bids may exceed the counted 201s by at most the connection count.
  return {
    created,
    ...r,
    exact:
      r.bids >= created &&
      r.bids <= created + CONNECTIONS &&
      r.versions === r.bids &&
      r.audit === r.bids &&
      r.outbox === r.bids,
  };
}

// Due events not yet handled, from the two small partial indexes (not a scan of the outbox).
const BACKLOG = `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL AND available_at <= now())::int
  + (SELECT count(*) FROM outbox WHERE published_at IS NOT NULL AND handled_at IS NULL)::int AS n`;

export async function runWriteScenarios(opts: {
  appBase: string;
  databaseUrl: string;
  rounds: number;
  seconds: number;
  scratch: string;
}): Promise<WriteResult> {
  const db = new Client({ connectionString: opts.databaseUrl });
  await db.connect();
  const raw = await startBaseline('raw-write', { DATABASE_URL: opts.databaseUrl });
  try {
    const tokens = await seedStudios(db);
    const files = {
      body: join(opts.scratch, 'bid.json'),
      spreadTokens: join(opts.scratch, 'spread-tokens.txt'),
      hotTokens: join(opts.scratch, 'hot-tokens.txt'),
    };
    mkdirSync(opts.scratch, { recursive: true });
    writeFileSync(files.body, bidBody());
    writeFileSync(files.spreadTokens, tokens.slice(0, SPREAD.studios).join('\n') + '\n');
    writeFileSync(files.hotTokens, tokens.join('\n') + '\n');
    await db.query('VACUUM ANALYZE organisations, users');
    const [{ deadlocks: deadlocksBefore }] = (
      await db.query<{ deadlocks: number }>(
        'SELECT deadlocks::int FROM pg_stat_database WHERE datname = current_database()',
      )
    ).rows as [{ deadlocks: number }];

    const bases: Record<string, string> = { app: opts.appBase, raw: raw.base };
    const runs: WriteResult['runs'] = [];
    const pipeline: PipelineSample[] = [];
    const scenarios = {
      spread: { tokens: files.spreadTokens, briefs: SPREAD.briefs, hot: '0' },
      hot: { tokens: files.hotTokens, briefs: HOT_BRIEFS, hot: '1' },
    };
    for (let round = 1; round <= opts.rounds; round++) {
      for (const [scenario, s] of Object.entries(scenarios)) {
        const order = round % 2 ? ['app', 'raw'] : ['raw', 'app'];
        for (const server of order) {
          const run = async (seconds: number) => {
            const briefs = await freshBriefs(db, s.briefs);
            const briefsFile = join(opts.scratch, `briefs-${briefCounter}.txt`);
            writeFileSync(briefsFile, briefs.join('\n') + '\n');
            const env = { TOKENS_FILE: s.tokens, BRIEFS_FILE: briefsFile, BODY_FILE: files.body, HOT: s.hot };
            return { briefs, result: wrk(bases[server]!, 'bench/rush.lua', seconds, env) };
          };
          await run(round === 1 ? 5 : 2); // warm-up, on briefs of its own
          let maxBacklog = 0;
          let sampling = server === 'app';
          const sampler = (async () => {
            while (sampling) {
              maxBacklog = Math.max(maxBacklog, (await db.query<{ n: number }>(BACKLOG)).rows[0]!.n);
              await new Promise((r) => setTimeout(r, 100));
            }
          })();
          const { briefs, result } = await run(opts.seconds);
          sampling = false;
          await sampler;
          if (server === 'app') {
            const stopped = Date.now();
            for (;;) {
              const n = (await db.query<{ n: number }>(BACKLOG)).rows[0]!.n;
              maxBacklog = Math.max(maxBacklog, n);
              if (n === 0) break;
              if (Date.now() - stopped > 60_000) throw new Error(`outbox backlog ${n} after 60 s`);
              await new Promise((r) => setTimeout(r, 10));
            }
            pipeline.push({ round, scenario, maxBacklog, drainMs: Date.now() - stopped });
          }
          const c = await check(db, briefs, result.created!);
          const r = { round, scenario, server, ...result, check: c } as AbRun & { check: RushCheck };
          runs.push(r);
          console.log(
            `write round ${round} ${scenario} ${server}: ${r.rps.toFixed(0)} req/s p50 ${(r.p50_us / 1000).toFixed(1)} ms p99 ${(r.p99_us / 1000).toFixed(1)} ms 201 ${result.created} 409 ${result.conflicts} 4xx ${result.client_errors} 5xx ${result.server_errors} errs ${result.errs} exact ${c.exact ? 'yes' : JSON.stringify(c)}` +
              (server === 'app'
                ? ` backlog max ${maxBacklog} drained in ${pipeline.at(-1)!.drainMs} ms`
                : ''),
          );
        }
      }
    }
    const [{ deadlocks: deadlocksAfter }] = (
      await db.query<{ deadlocks: number }>(
        'SELECT deadlocks::int FROM pg_stat_database WHERE datname = current_database()',
      )
    ).rows as [{ deadlocks: number }];
    const summary: WriteResult['summary'] = {};
    for (const scenario of Object.keys(scenarios)) {
      const of = runs.filter((r) => r.scenario === scenario);
      const sum = (k: string): number => of.reduce((n, r) => n + Number(r[k] ?? 0), 0);
      summary[scenario] = {
        ...summarise(of, 'app', 'raw'),
        errors: sum('errs') + sum('client_errors'),
        conflicts: sum('conflicts'),
        serverErrors: sum('server_errors'),
      };
    }
    return { runs, summary, deadlocks: deadlocksAfter - deadlocksBefore, pipeline };
  } finally {
    await raw.stop();
    await db.end();
  }
}
