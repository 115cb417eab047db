// Read scenarios, app vs raw baseline, alternating A/B (performance-notes §1–2, Appendix B).
//   npm run bench            (ROUNDS=5 DURATION=10 BRIEFS=10000 by default)
// Starts the app as a user would (node --max-semi-space-size=64 dist/src/main.js, workers
// in-process) on a scratch database, seeds it, starts bench/baselines/raw-read.ts on the same
// database, pins both servers to CPU 1 and wrk to CPU 0, checks that both answer identical
// bodies, then runs ROUNDS rounds of every scenario on both servers in rotating order.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, createSecretKey, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { startServer } from './lib';
import { seed, verifiedStudio } from './seed';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DURATION = Number(process.env.DURATION ?? 10);
const BRIEFS = Number(process.argv[2] ?? process.env.BRIEFS ?? 10_000);
const JWT_SECRET = process.env.JWT_SECRET ?? 'efir-bench-jwt-secret-0123456789abcdef';
const RAW_PORT = 3960 + Math.floor(Math.random() * 30);

interface Run {
  round: number;
  scenario: string;
  server: 'app' | 'raw';
  rps: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  non2xx: number;
  errs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function ensureWrk(): void {
  if (spawnSync('which', ['wrk']).status === 0) return;
  console.log('installing wrk…');
  execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
}

async function get(url: string, token: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

function wrk(url: string, token: string, pathsFile: string, seconds: number): Run | null {
  const out = execFileSync(
    'taskset',
    [
      '-c',
      '0',
      'wrk',
      '-t1',
      '-c32',
      `-d${seconds}s`,
      '-H',
      `Authorization: Bearer ${token}`,
      '-s',
      'bench/reads.lua',
      url,
    ],
    { env: { ...process.env, PATHS_FILE: pathsFile }, encoding: 'utf8' },
  );
  const line = out.split('\n').find((l) => l.startsWith('RESULT'));
  if (!line) return null;
  const f = Object.fromEntries(
    line
      .split(' ')
      .slice(1)
      .map((kv) => kv.split('=') as [string, string]),
  );
  return {
    round: 0,
    scenario: '',
    server: 'app',
    rps: Number(f.rps),
    p50_us: Number(f.p50_us),
    p90_us: Number(f.p90_us),
    p99_us: Number(f.p99_us),
    non2xx: Number(f.non2xx),
    errs: Number(f.errs),
  };
}

async function main(): Promise<void> {
  ensureWrk();
  const app = await startServer('reads', { JWT_SECRET, RUN_WORKER: 'true' });
  let raw: ReturnType<typeof spawn> | null = null;
  try {
    const dbUrl = app.env.DATABASE_URL!;
    const s = await seed(dbUrl, BRIEFS);
    console.log(`seeded ${s.briefs} briefs in ${s.seconds.toFixed(1)} s`);
    const studio = await verifiedStudio(dbUrl);
    const token = sign(
      { sub: randomUUID(), org: studio, kind: 'studio', role: 'producer', sid: randomUUID(), typ: 'access' },
      createSecretKey(Buffer.from(JWT_SECRET, 'utf8')),
      { algorithm: 'HS256', issuer: 'efir', audience: 'efir-api', expiresIn: '1d' },
    );
    raw = spawn(
      'taskset',
      ['-c', '1', 'node', '-r', 'ts-node/register/transpile-only', 'bench/baselines/raw-read.ts'],
      {
        env: { ...process.env, PORT: String(RAW_PORT), DATABASE_URL: dbUrl, JWT_SECRET },
        stdio: 'inherit',
      },
    );
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(app.process.pid)], { stdio: 'ignore' });
    const bases = { app: app.base.replace(/\/api\/v1$/, ''), raw: `http://127.0.0.1:${RAW_PORT}` };
    for (let i = 0; ; i++) {
      if ((await fetch(`${bases.raw}/api/v1/briefs?limit=1`).catch(() => null))?.status === 401) break;
      if (i > 100) throw new Error('raw baseline did not start');
      await new Promise((r) => setTimeout(r, 200));
    }

    // Scenario paths: first pages and a deep cursor page (page 10) of four genres; searches.
    const list: string[] = [];
    for (const genre of ['drama', 'documentary', 'comedy', 'kids']) {
      const first = `/api/v1/briefs?status=published&genre=${genre}&limit=20`;
      list.push(first);
      let path = first;
      for (let page = 1; page < 10; page++) {
        const body = JSON.parse((await get(bases.app + path, token)).text) as { nextCursor: string | null };
        if (!body.nextCursor) throw new Error(`${genre}: only ${page} pages`);
        path = `${first}&cursor=${body.nextCursor}`;
      }
      list.push(path);
    }
    const search = ['қазақ дала', 'деректі фильм', 'тарихы', 'степь история', 'документальный', 'кино'].map(
      (q) => `/api/v1/briefs?q=${encodeURIComponent(q)}&limit=20`,
    );
    const scenarios = { list, search };
    const dir = join(app.scratch, 'paths');
    mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {};
    for (const [name, paths] of Object.entries(scenarios)) {
      for (const path of paths) {
        const [a, r] = await Promise.all([get(bases.app + path, token), get(bases.raw + path, token)]);
        const md5 = (t: string): string => createHash('md5').update(t).digest('hex');
        if (a.status !== 200 || r.status !== 200 || md5(a.text) !== md5(r.text)) {
          throw new Error(
            `bodies differ for ${path}: app ${a.status} ${md5(a.text)}, raw ${r.status} ${md5(r.text)}`,
          );
        }
        if ((JSON.parse(a.text) as { items: unknown[] }).items.length === 0)
          throw new Error(`empty page ${path}`);
      }
      files[name] = join(dir, `${name}.txt`);
      writeFileSync(files[name], paths.join('\n') + '\n');
    }
    console.log(`bodies identical (md5) on ${list.length + search.length} paths`);

    const runs: Run[] = [];
    const servers = ['app', 'raw'] as const;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const scenario of Object.keys(scenarios)) {
        for (let k = 0; k < servers.length; k++) {
          const server = servers[(k + round - 1) % servers.length]!;
          wrk(bases[server], token, files[scenario]!, round === 1 ? 5 : 2);
          const r = wrk(bases[server], token, files[scenario]!, DURATION);
          if (!r) throw new Error('wrk printed no RESULT');
          Object.assign(r, { round, scenario, server });
          runs.push(r);
          console.log(
            `round ${round} ${scenario} ${server}: ${r.rps.toFixed(0)} req/s p50 ${(r.p50_us / 1000).toFixed(1)} ms p99 ${(r.p99_us / 1000).toFixed(1)} ms non2xx ${r.non2xx} errs ${r.errs}`,
          );
        }
      }
    }

    const date = new Date().toISOString().slice(0, 10);
    const rows: string[] = [
      `| date | briefs | scenario | app req/s | raw req/s | **req/s ratio** (≥ 0.65) | app / raw p50 ms | **p50 ratio** (≤ 1.6) | app / raw p99 ms | **p99 ratio** (≤ 2.5) | errors |`,
      '|---|---|---|---|---|---|---|---|---|---|---|',
    ];
    const summary: Record<string, unknown> = {};
    for (const scenario of Object.keys(scenarios)) {
      const of = (server: string): Run[] =>
        runs.filter((r) => r.scenario === scenario && r.server === server);
      const a = of('app');
      const b = of('raw');
      const ratio = (f: (r: Run) => number): number => median(a.map((r, i) => f(r) / f(b[i]!)));
      const m = (xs: Run[], f: (r: Run) => number): number => median(xs.map(f));
      const s = {
        app: {
          rps: m(a, (r) => r.rps),
          p50_ms: m(a, (r) => r.p50_us) / 1000,
          p99_ms: m(a, (r) => r.p99_us) / 1000,
        },
        raw: {
          rps: m(b, (r) => r.rps),
          p50_ms: m(b, (r) => r.p50_us) / 1000,
          p99_ms: m(b, (r) => r.p99_us) / 1000,
        },
        ratio: { rps: ratio((r) => r.rps), p50: ratio((r) => r.p50_us), p99: ratio((r) => r.p99_us) },
        errors: [...a, ...b].reduce((n, r) => n + r.non2xx + r.errs, 0),
      };
      summary[scenario] = s;
      const ok = (good: boolean, v: number): string => `${v.toFixed(2)}× ${good ? '✓' : '✗'}`;
      rows.push(
        `| ${date} | ${BRIEFS.toLocaleString('en')} | ${scenario === 'list' ? '1 studio list (page 1 + page 10)' : '2 full-text search (kk + ru)'} | ${s.app.rps.toFixed(0)} | ${s.raw.rps.toFixed(0)} | ${ok(s.ratio.rps >= 0.65, s.ratio.rps)} | ${s.app.p50_ms.toFixed(1)} / ${s.raw.p50_ms.toFixed(1)} | ${ok(s.ratio.p50 <= 1.6, s.ratio.p50)} | ${s.app.p99_ms.toFixed(1)} / ${s.raw.p99_ms.toFixed(1)} | ${ok(s.ratio.p99 <= 2.5, s.ratio.p99)} | ${s.errors} |`,
      );
    }
    const table = rows.join('\n');
    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/${date}-reads.json`;
    writeFileSync(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          briefs: BRIEFS,
          rounds: ROUNDS,
          durationS: DURATION,
          scenarios,
          summary,
          runs,
        },
        null,
        2,
      ) + '\n',
    );
    appendFileSync(`bench/results/reads.md`, table.split('\n').slice(2).join('\n') + '\n');
    console.log(`\n${table}\n\nwrote ${file}`);
  } finally {
    if (raw && raw.exitCode === null) {
      raw.kill('SIGTERM');
      await new Promise((r) => raw!.once('exit', r));
    }
    await app.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
