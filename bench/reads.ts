// Read scenarios 1–3, app vs raw baseline, at one or more dataset sizes, alternating A/B:
//   1 list:   a studio lists open briefs by genre, page 1 and a deep cursor page (page 10);
//   2 search: prefix full-text search, three Kazakh and three Russian queries;
//   3 brief:  a commissioner reads one of its briefs and its questions.
// Before measuring, every path must answer md5-identical bodies from both servers.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessToken, summarise, wrk, type AbRun, type AbSummary } from './lib';
import { Client } from 'pg';
import { sampleBriefForCommissioner } from './seed';

export const READ_SCENARIOS = {
  list: '1 studio list, page 1',
  deep: '1 studio list, page 10 (cursor)',
  search: '2 full-text search (kk + ru)',
  brief: '3 commissioner reads a brief + questions',
} as const;
type Scenario = keyof typeof READ_SCENARIOS;

/** One dataset: its database, the app and the raw baseline serving it. */
export interface ReadTarget {
  size: number;
  databaseUrl: string;
  app: string;
  raw: string;
}

async function get(url: string, token: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

/** The paths of each scenario (lines "<path>" or "<path> <token>"), checked identical on both servers. */
async function pathsFor(t: ReadTarget, studioToken: string): Promise<Record<Scenario, string[]>> {
  const list: string[] = [];
  const deep: string[] = [];
  for (const genre of ['drama', 'documentary', 'comedy', 'kids']) {
    const first = `/api/v1/briefs?status=published&genre=${genre}&limit=20`;
    list.push(first);
    let path = first;
    for (let page = 1; page < 10; page++) {
      const body = JSON.parse((await get(t.app + path, studioToken)).text) as { nextCursor: string | null };
      if (!body.nextCursor) throw new Error(`${genre}: only ${page} pages`);
      path = `${first}&cursor=${body.nextCursor}`;
    }
    deep.push(path);
  }
  const search = ['қазақ дала', 'деректі фильм', 'тарихы', 'степь история', 'документальный', 'кино'].map(
    (q) => `/api/v1/briefs?q=${encodeURIComponent(q)}&limit=20`,
  );
  const brief: string[] = [];
  for (const s of await sampleBriefForCommissioner(t.databaseUrl)) {
    const token = accessToken({
      sub: s.commissionerId,
      org: s.broadcasterId,
      kind: 'broadcaster',
      role: 'commissioner',
    });
    brief.push(`/api/v1/briefs/${s.briefId} ${token}`, `/api/v1/briefs/${s.briefId}/questions ${token}`);
  }
  const scenarios = { list, deep, search, brief };
  const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
  for (const line of Object.values(scenarios).flat()) {
    const [path, token = studioToken] = line.split(' ') as [string, string?];
    const [a, r] = await Promise.all([get(t.app + path, token), get(t.raw + path, token)]);
    if (a.status !== 200 || r.status !== 200 || md5(a.text) !== md5(r.text)) {
      throw new Error(
        `bodies differ for ${path}: app ${a.status} ${a.text.slice(0, 300)}\nraw ${r.status} ${r.text.slice(0, 300)}`,
      );
    }
    const parsed = JSON.parse(a.text) as { items?: unknown[] } | unknown[];
    if ((Array.isArray(parsed) ? parsed : (parsed.items ?? [parsed])).length === 0)
      throw new Error(`empty answer ${path}`);
  }
  return scenarios;
}

/** The first verified studio by name and its producer: the same at every dataset size. */
async function studioProducer(databaseUrl: string): Promise<{ id: string; userId: string }> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string; user_id: string }>(
      `SELECT o.id, u.id AS user_id FROM organisations o JOIN users u ON u.organisation_id = o.id
        WHERE o.kind = 'studio' AND o.verified_at IS NOT NULL AND u.role = 'producer'
        ORDER BY o.name, u.id LIMIT 1`,
    );
    if (!rows[0]) throw new Error('no verified studio with a producer in the seed');
    return { id: rows[0].id, userId: rows[0].user_id };
  } finally {
    await c.end();
  }
}

export interface ReadResult {
  runs: (AbRun & { size: number })[];
  summary: Record<string, AbSummary & { size: number; errors: number }>;
  /** p50 at each size ÷ p50 at the smallest, per scenario and server (growth goal ≤ 1.2). */
  growth: Record<string, Record<string, number>>;
  paths: Record<number, Record<Scenario, number>>;
}

export async function runReadScenarios(opts: {
  targets: ReadTarget[];
  rounds: number;
  seconds: number;
  scratch: string;
}): Promise<ReadResult> {
  mkdirSync(opts.scratch, { recursive: true });
  const files: Record<string, string> = {};
  const paths: ReadResult['paths'] = {};
  let studioToken = '';
  for (const t of opts.targets) {
    // The same studio at every size (the seed is deterministic and prefix-stable).
    const studio = await studioProducer(t.databaseUrl);
    studioToken = accessToken({ sub: studio.userId, org: studio.id, kind: 'studio', role: 'producer' });
    const scenarios = await pathsFor(t, studioToken);
    paths[t.size] = { list: 0, deep: 0, search: 0, brief: 0 };
    for (const [name, lines] of Object.entries(scenarios) as [Scenario, string[]][]) {
      files[`${t.size}:${name}`] = join(opts.scratch, `${t.size}-${name}.txt`);
      writeFileSync(files[`${t.size}:${name}`]!, lines.join('\n') + '\n');
      paths[t.size]![name] = lines.length;
    }
    console.log(`size ${t.size}: bodies identical (md5) on ${Object.values(scenarios).flat().length} paths`);
  }
  const runs: ReadResult['runs'] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const scenario of Object.keys(READ_SCENARIOS) as Scenario[]) {
      // every (size, server) pair once per round, the order rotated each round
      const pairs = opts.targets.flatMap((t) => (['app', 'raw'] as const).map((server) => ({ t, server })));
      const order = pairs.map((_, i) => pairs[(i + round - 1) % pairs.length]!);
      for (const { t, server } of order) {
        const env = { PATHS_FILE: files[`${t.size}:${scenario}`]! };
        const auth = [`Authorization: Bearer ${studioToken}`];
        wrk(t[server], 'bench/reads.lua', round === 1 ? 5 : 2, env, auth);
        const r = wrk(t[server], 'bench/reads.lua', opts.seconds, env, auth);
        const run = { ...r, round, scenario, server: `${server}@${t.size}`, size: t.size } as AbRun & {
          size: number;
        };
        runs.push(run);
        console.log(
          `read round ${round} ${scenario} ${run.server}: ${run.rps.toFixed(0)} req/s p50 ${(run.p50_us / 1000).toFixed(1)} ms p99 ${(run.p99_us / 1000).toFixed(1)} ms non2xx ${r.non2xx} errs ${r.errs}`,
        );
      }
    }
  }
  const summary: ReadResult['summary'] = {};
  const growth: ReadResult['growth'] = {};
  const smallest = Math.min(...opts.targets.map((t) => t.size));
  for (const scenario of Object.keys(READ_SCENARIOS)) {
    const of = runs.filter((r) => r.scenario === scenario);
    for (const t of opts.targets) {
      summary[`${scenario}@${t.size}`] = {
        ...summarise(of, `app@${t.size}`, `raw@${t.size}`),
        size: t.size,
        errors: of
          .filter((r) => r.size === t.size)
          .reduce((n, r) => n + Number(r.non2xx) + Number(r.errs), 0),
      };
    }
    for (const server of ['app', 'raw']) {
      const p50 = (size: number): number => summary[`${scenario}@${size}`]![server as 'app' | 'raw'].p50_ms;
      for (const t of opts.targets) {
        if (t.size === smallest) continue;
        (growth[scenario] ??= {})[`${server}@${t.size}`] = p50(t.size) / p50(smallest);
      }
    }
  }
  return { runs, summary, growth, paths };
}
