// Shared glue of the hand-run benchmarks: a scratch server and a tiny API client.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSecretKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { Client } from 'pg';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchServer {
  base: string;
  env: Record<string, string>;
  process: ChildProcess;
  scratch: string;
  db: string;
  stop: () => Promise<void>;
}

/** Starts `node dist/src/main.js` on a scratch database, storage and mail dir (run `npm run build` first). */
export async function startServer(
  name: string,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<BenchServer> {
  const port = 3900 + Math.floor(Math.random() * 50);
  const db = `efir_bench_${name}_${Date.now()}`;
  const scratch = mkdtempSync(join(tmpdir(), `efir-bench-${name}-`));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
    STORAGE_DIR: join(scratch, 'storage'),
    MAIL_DIR: join(scratch, 'mail'),
    QUEUE_PREFIX: `bench${name}${Date.now()}`,
    BRIEF_MIN_BID_WINDOW_SECONDS: '0',
    OPERATOR_EMAIL: 'operator@bench.test',
    OPERATOR_PASSWORD: 'operator-bench-1',
    LOG_LEVEL: 'warn',
    JWT_SECRET,
    ...extraEnv,
  };
  const child = spawn('node', ['--max-semi-space-size=64', ...nodeArgs, 'dist/src/main.js'], {
    env,
    stdio: 'inherit',
  });
  const base = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 300) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    env,
    process: child,
    scratch,
    db,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(scratch, { recursive: true, force: true });
      const admin = new Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** JSON over fetch; throws on a non-2xx answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench glue: the API bodies are read loosely
export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A random valid Kazakhstan BIN. */
export function bin(): string {
  for (;;) {
    const d = Array.from({ length: 11 }, () => Math.floor(Math.random() * 10));
    const sum = (w: number[]): number => w.reduce((s, x, i) => s + x * d[i]!, 0) % 11;
    let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if (c === 10) c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    if (c !== 10) return d.join('') + c;
  }
}

export async function register(
  base: string,
  kind: 'broadcaster' | 'studio',
): Promise<{ token: string; orgId: string }> {
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const r = await api(base, 'POST', '/auth/register', null, {
    organisation: { name: `${kind} ${stamp}`, kind, country: 'KZ', bin: bin() },
    user: { email: `${kind}-${stamp}@bench.test`, password: 'bench-password-1', fullName: 'Bench' },
  });
  return { token: r.accessToken, orgId: r.organisation.id };
}

/** A complete brief body (genre documentary), deadlines in ms from now. */
export function briefBody(title: string, questionsInMs: number, closesInMs: number): Record<string, unknown> {
  const iso = (ms: number): string => new Date(Date.now() + ms).toISOString();
  return {
    title,
    synopsis: `${title} (bench)`,
    genre: 'documentary',
    format: 'documentary',
    episodes: 1,
    episodeMinutes: 50,
    languages: ['kk'],
    budget: { min: { amount: 1, currency: 'KZT' }, max: { amount: 10_000_000, currency: 'KZT' } },
    rights: { territories: ['KZ'], licenceYears: 1, runs: 1, platforms: ['linear'] },
    deliverySpec: { notes: 'x' },
    questionsCloseAt: iso(questionsInMs),
    bidsCloseAt: iso(closesInMs),
    deliveryDueAt: iso(closesInMs + 90 * 86400_000),
    criteria: [{ name: 'all', weight: 100 }],
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const JWT_SECRET = process.env.JWT_SECRET ?? 'efir-bench-jwt-secret-0123456789abcdef';

/** An access token as the app signs it (KeyObject secret, performance-notes P1). */
export function accessToken(claims: { sub: string; org: string; kind: string; role: string }): string {
  return sign(
    { ...claims, sid: randomUUID(), typ: 'access' },
    createSecretKey(Buffer.from(JWT_SECRET, 'utf8')),
    { algorithm: 'HS256', issuer: 'efir', audience: 'efir-api', expiresIn: '1d' },
  );
}

/** wrk from Debian's package; installed when missing (the bench runs as root on this machine). */
export function ensureWrk(): void {
  if (spawnSync('which', ['wrk']).status === 0) return;
  console.log('installing wrk…');
  execFileSync('sh', ['-c', 'apt-get install -y wrk || (apt-get update && apt-get install -y wrk)'], {
    stdio: 'inherit',
  });
}

/** Pins a process and all its threads to one CPU. */
export function pin(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** One wrk run (pinned to CPU 0, -t1 -c32); the Lua script prints one `RESULT k=v …` line. */
export function wrk(
  base: string,
  script: string,
  seconds: number,
  env: Record<string, string>,
  headers: string[] = [],
): Record<string, number> {
  const out = execFileSync(
    'taskset',
    [
      '-c',
      '0',
      'wrk',
      '-t1',
      '-c32',
      `-d${seconds}s`,
      '--timeout',
      '10s',
      ...headers.flatMap((h) => ['-H', h]),
      '-s',
      script,
      base,
    ],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  const line = out.split('\n').find((l) => l.startsWith('RESULT'));
  if (!line) throw new Error(`wrk printed no RESULT:\n${out}`);
  for (const l of out.split('\n')) if (l.startsWith('FIRST_ERROR')) console.log(`  ${l}`);
  return Object.fromEntries(
    line
      .split(' ')
      .slice(1)
      .map((kv) => kv.split('='))
      .map(([k, v]) => [k!, Number(v)]),
  );
}

/** Starts a raw baseline (bench/baselines/<file>.ts) pinned to CPU 1; resolves once it listens. */
let nextBaselinePort = 3960;
export async function startBaseline(
  file: string,
  env: Record<string, string>,
): Promise<{ base: string; stop: () => Promise<void> }> {
  const port = nextBaselinePort++; // one port each: two baselines may run side by side
  const child = spawn(
    'taskset',
    ['-c', '1', 'node', '-r', 'ts-node/register/transpile-only', `bench/baselines/${file}.ts`],
    { env: { ...process.env, PORT: String(port), JWT_SECRET, ...env }, stdio: 'inherit' },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${file} exited with ${child.exitCode}`);
    if (await fetch(`${base}/`).catch(() => null)) break;
    if (i > 150) throw new Error(`${file} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface AbRun {
  round: number;
  scenario: string;
  server: string;
  rps: number;
  p50_us: number;
  p99_us: number;
  [k: string]: number | string;
}

export interface AbSummary {
  app: { rps: number; p50_ms: number; p99_ms: number };
  raw: { rps: number; p50_ms: number; p99_ms: number };
  ratio: { rps: number; p50: number; p99: number };
}

/** Medians per server and the median of per-round ratios (performance-notes §1). */
export function summarise(runs: AbRun[], app: string, raw: string): AbSummary {
  const a = runs.filter((r) => r.server === app).sort((x, y) => x.round - y.round);
  const b = runs.filter((r) => r.server === raw).sort((x, y) => x.round - y.round);
  if (a.length !== b.length || !a.length) throw new Error(`unpaired runs for ${app} / ${raw}`);
  const ratio = (f: (r: AbRun) => number): number => median(a.map((r, i) => f(r) / f(b[i]!)));
  const of = (xs: AbRun[]) => ({
    rps: median(xs.map((r) => r.rps)),
    p50_ms: median(xs.map((r) => r.p50_us)) / 1000,
    p99_ms: median(xs.map((r) => r.p99_us)) / 1000,
  });
  return {
    app: of(a),
    raw: of(b),
    ratio: { rps: ratio((r) => r.rps), p50: ratio((r) => r.p50_us), p99: ratio((r) => r.p99_us) },
  };
}

/** `0.78× ✓` */
export const verdict = (value: number, ok: boolean): string => `${value.toFixed(2)}× ${ok ? '✓' : '✗'}`;
