// Shared glue of the hand-run benchmarks: a scratch server and a tiny API client.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
export async function startServer(name: string, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
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
    ...extraEnv,
  };
  const child = spawn('node', ['--max-semi-space-size=64', 'dist/src/main.js'], { env, stdio: 'inherit' });
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
