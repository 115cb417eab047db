// Upload scenario (6): a tus upload of a 2 GiB deliverable to the app vs the raw loopback
// baseline (bench/baselines/raw-upload.ts), alternating A/B, with the app's RSS sampled.
// Goals: app throughput ≥ 0.7× raw (median of per-round ratios); app RSS growth < 100 MB.
//
//   npm run bench:upload                       (2048 MiB, ROUNDS=3)
//   ROUNDS=5 npx ts-node --transpile-only bench/upload.ts 512     (after npm run build)
// Prints a Markdown table; writes bench/results/<YYYY-MM-DD>-upload.json; exits 1 if a goal fails.
//
// One client for both servers: a streaming tus client on node:http (create, then PATCHes of
// 64 MiB read with fs.createReadStream({ start, end }) and piped into the request, each at the
// Upload-Offset the previous PATCH answered). The app creates its tus upload in
// POST /milestones/:id/deliverables (JSON: kind, fileName, size, sha256, contentType; it offers no
// tus POST); the raw server takes a tus POST (Upload-Length, Upload-Metadata filename/filetype).
// Throughput = bytes / time from that create POST to the last PATCH's 204.
//
// The app (`node dist/src/main.js` on a scratch database, workers in-process) and the raw server
// are pinned to CPU 1, this process to CPU 0. A warm-up upload to each server comes first; the
// app's baseline RSS is taken after it. Then ROUNDS rounds, the order rotated each round (app,
// raw | raw, app | …). The app's VmRSS is sampled from /proc every 50 ms during its uploads; after
// each app upload the bench waits until the app has verified the deliverable (status `ready`), so
// the checksum pass never overlaps a measured run; the raw server's files are deleted after each
// run; `sync` runs before each measured upload so no run pays for the previous one's writeback.
// The raw server writes with Node's default 16 KiB write-stream buffer, as @tus/file-store does;
// WRITE_HIGH_WATER_MARK=<bytes> (passed through to it) shows what a bigger one gives.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { api, bin, briefBody, register, startServer, type BenchServer } from './lib';

const MiB = 1024 * 1024;
const CHUNK = 64 * MiB;
const JWT_SECRET = process.env.JWT_SECRET ?? 'efir-bench-jwt-secret-0123456789abcdef';
const STUDIO_PASSWORD = 'bench-password-1';

type ServerName = 'app' | 'raw';

export interface UploadRun {
  round: number;
  server: ServerName;
  MiBps: number;
  seconds: number;
}

export interface UploadScenarioResult {
  date: string;
  sizeMiB: number;
  rounds: number;
  runs: UploadRun[];
  /** Median MiB/s per server. */
  median: Record<ServerName, number>;
  /** app / raw throughput of each round, and their median. */
  ratios: number[];
  ratio: number;
  /** WRITE_HIGH_WATER_MARK given to the raw server (null: Node's default, as @tus/file-store). */
  rawWriteHighWaterMark: number | null;
  rss: {
    /** Right after the app started, before any upload. */
    startMb: number;
    /** After the warm-up upload and its verification. */
    baselineMb: number;
    /** Highest sample during the measured app uploads. */
    peakMb: number;
    growthMb: number;
    /** Highest sample while the app verified the measured uploads (information only). */
    verifyPeakMb: number;
    samples: number;
  };
  pass: { throughput: boolean; rss: boolean };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
};

const pin = (pid: number, cpu: number): void => {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A random file, written and hashed in 16 MiB blocks. */
async function randomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    let left = size;
    const write = (): void => {
      while (left > 0) {
        const block = randomBytes(Math.min(left, 16 * MiB));
        left -= block.length;
        hash.update(block);
        if (!out.write(block)) return void out.once('drain', write);
      }
      out.end(resolve);
    };
    out.on('error', reject);
    write();
  });
  return hash.digest('hex');
}

// ---- the tus client (node:http, shared by both servers) -------------------------------------

interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request over node:http; `body` is a string or a stream piped into the request. */
function http(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string | NodeJS.ReadableStream,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers });
    req.once('error', reject);
    req.once('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.once('error', reject);
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString() }),
      );
    });
    if (body === undefined || typeof body === 'string') req.end(body);
    else pipeline(body, req).catch(reject);
  });
}

/** A tus target: how to create an upload (returns its URL) and the bearer token. */
interface Target {
  create: () => Promise<string>;
  token: string;
}

/** Creates the upload, then PATCHes the file in 64 MiB chunks; seconds from create to last 204. */
async function tusUpload(target: Target, file: string, size: number): Promise<number> {
  const auth = { Authorization: `Bearer ${target.token}`, 'Tus-Resumable': '1.0.0' };
  const t0 = performance.now();
  const url = await target.create();
  let offset = 0;
  while (offset < size) {
    const end = Math.min(offset + CHUNK, size);
    const res = await http(
      'PATCH',
      url,
      {
        ...auth,
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(end - offset),
      },
      createReadStream(file, { start: offset, end: end - 1, highWaterMark: MiB }),
    );
    const next = Number(res.headers['upload-offset']);
    if (res.status !== 204 || !(next > offset)) {
      throw new Error(`PATCH ${url} at ${offset}: ${res.status} offset ${next} ${res.text}`);
    }
    offset = next;
  }
  return (performance.now() - t0) / 1000;
}

// ---- the scenario ---------------------------------------------------------------------------

export async function runUploadScenario(opts: {
  sizeMiB: number;
  rounds: number;
  log?: (s: string) => void;
}): Promise<UploadScenarioResult> {
  const log = opts.log ?? ((s: string): void => console.log(s));
  const size = opts.sizeMiB * MiB;
  pin(process.pid, 0);
  const scratch = mkdtempSync(join(tmpdir(), 'efir-bench-upload-'));
  const file = join(scratch, 'master.bin');
  const rawDir = join(scratch, 'raw');
  let app: BenchServer | null = null;
  let raw: ChildProcess | null = null;
  try {
    log(`writing a random ${opts.sizeMiB} MiB source file…`);
    const sha256 = await randomFile(file, size);
    const maxUpload = String(Math.max(size * 2, 1024 * MiB));

    app = await startServer('upload', { JWT_SECRET, MAX_UPLOAD_BYTES: maxUpload });
    const appPid = app.process.pid!;
    pin(appPid, 1);
    const rssStart = rssMb(appPid);
    const rawPort = await freePort();
    raw = spawn('node', ['-r', 'ts-node/register/transpile-only', 'bench/baselines/raw-upload.ts'], {
      env: {
        ...process.env,
        PORT: String(rawPort),
        JWT_SECRET,
        UPLOAD_DIR: rawDir,
        MAX_UPLOAD_BYTES: maxUpload,
      },
      stdio: 'inherit',
    });
    const rawBase = `http://127.0.0.1:${rawPort}/api/v1`;
    for (let i = 0; ; i++) {
      const probe = await http('HEAD', `${rawBase}/uploads`, {}).catch(() => null);
      if (probe?.status === 401) break;
      if (i > 100) throw new Error('raw baseline did not start');
      await sleep(200);
    }
    pin(raw.pid!, 1);

    // An active contract with one milestone, through the API (as a user would). A milestone
    // takes any number of deliverables (each registration is the next version of its kind)
    // while it is pending, so every run uploads to the same one.
    const base = app.base;
    const b = await register(base, 'broadcaster');
    const studioEmail = `studio-${Date.now()}@bench.test`;
    const s = await api(base, 'POST', '/auth/register', null, {
      organisation: { name: `Bench studio ${Date.now()}`, kind: 'studio', country: 'KZ', bin: bin() },
      user: { email: studioEmail, password: STUDIO_PASSWORD, fullName: 'Bench' },
    });
    const studioId = s.organisation.id as string;
    const op = await api(base, 'POST', '/auth/login', null, {
      email: app.env.OPERATOR_EMAIL,
      password: app.env.OPERATOR_PASSWORD,
    });
    await api(base, 'POST', `/organisations/${studioId}/verify`, op.accessToken);
    const now = Date.now();
    const brief = await api(base, 'POST', '/briefs', b.token, briefBody('Upload bench brief', 1000, 3000));
    await api(base, 'POST', `/briefs/${brief.id}/publish`, b.token);
    const bid = await api(base, 'POST', `/briefs/${brief.id}/bids`, s.accessToken, {
      price: { amount: 1_000_000, currency: 'KZT' },
      breakdown: [{ label: 'All', amount: { amount: 1_000_000, currency: 'KZT' } }],
      milestones: [{ title: 'Master', share: 100, dueAt: new Date(now + 30 * 86400_000).toISOString() }],
      creativeApproach: 'x',
      team: 'x',
      submit: true,
    });
    await sleep(3500 - (Date.now() - now));
    const { contractId } = await api(base, 'POST', `/briefs/${brief.id}/award`, b.token, { bidId: bid.id });
    const contract = await api(base, 'GET', `/contracts/${contractId}`, b.token);
    await api(base, 'POST', `/contracts/${contractId}/sign`, b.token, { termsHash: contract.termsHash });
    await api(base, 'POST', `/contracts/${contractId}/sign`, s.accessToken, {
      termsHash: contract.termsHash,
    });
    const milestoneId = contract.milestones[0].id as string;

    // Access tokens live at most 15 minutes: log in again (untimed) when the token is 10 minutes old.
    let token = s.accessToken as string;
    let tokenAt = Date.now();
    const freshToken = async (): Promise<string> => {
      if (Date.now() - tokenAt > 10 * 60_000) {
        token = (
          await api(base, 'POST', '/auth/login', null, { email: studioEmail, password: STUDIO_PASSWORD })
        ).accessToken as string;
        tokenAt = Date.now();
      }
      return token;
    };

    const appTarget = (tok: string, created: string[]): Target => ({
      token: tok,
      create: async () => {
        const res = await http(
          'POST',
          `${base}/milestones/${milestoneId}/deliverables`,
          { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
          JSON.stringify({
            kind: 'programme_master',
            fileName: 'master.bin',
            size,
            sha256,
            contentType: 'application/octet-stream',
          }),
        );
        if (res.status !== 201) throw new Error(`register deliverable: ${res.status} ${res.text}`);
        const body = JSON.parse(res.text) as { deliverable: { id: string }; uploadUrl: string };
        created.push(body.deliverable.id);
        return body.uploadUrl;
      },
    });
    const rawTarget = (tok: string): Target => ({
      token: tok,
      create: async () => {
        const meta = (v: string): string => Buffer.from(v).toString('base64');
        const res = await http('POST', `${rawBase}/uploads`, {
          Authorization: `Bearer ${tok}`,
          'Tus-Resumable': '1.0.0',
          'Upload-Length': String(size),
          'Upload-Metadata': `filename ${meta('master.bin')},filetype ${meta('application/octet-stream')}`,
        });
        const location = res.headers.location;
        if (res.status !== 201 || !location) throw new Error(`raw create: ${res.status} ${res.text}`);
        return location;
      },
    });

    // RSS sampling: only while `sampling` names a phase.
    let sampling: 'upload' | 'verify' | null = null;
    const samples: { phase: 'upload' | 'verify'; rss: number }[] = [];
    const timer = setInterval(() => {
      if (sampling && app?.process.exitCode === null) samples.push({ phase: sampling, rss: rssMb(appPid) });
    }, 50);

    const waitVerified = async (id: string, tok: string): Promise<void> => {
      const t0 = Date.now();
      for (;;) {
        const list = await api<{ id: string; status: string }[]>(
          base,
          'GET',
          `/milestones/${milestoneId}/deliverables`,
          tok,
        );
        const status = list.find((d) => d.id === id)?.status;
        if (status === 'ready') return;
        if (status === 'rejected') throw new Error(`deliverable ${id} was rejected`);
        if (Date.now() - t0 > 15 * 60_000) throw new Error(`deliverable ${id} not verified (${status})`);
        await sleep(200);
      }
    };
    const clearRaw = async (): Promise<void> => {
      const names = await readdir(rawDir).catch(() => [] as string[]);
      await Promise.all(names.map((n) => rm(join(rawDir, n), { force: true })));
    };

    /** One upload to `server`; `measure` samples the app's RSS (and its verification). */
    const once = async (server: ServerName, measure: boolean): Promise<number> => {
      const tok = await freshToken();
      execFileSync('sync');
      await sleep(500);
      if (server === 'raw') {
        const seconds = await tusUpload(rawTarget(tok), file, size);
        await clearRaw();
        return seconds;
      }
      const created: string[] = [];
      if (measure) sampling = 'upload';
      const seconds = await tusUpload(appTarget(tok, created), file, size).finally(() => {
        sampling = null;
      });
      if (measure) {
        samples.push({ phase: 'upload', rss: rssMb(appPid) }); // at least one, however short the upload
        sampling = 'verify';
      }
      await waitVerified(created[0]!, tok).finally(() => {
        sampling = null;
      });
      return seconds;
    };

    try {
      log('warm-up: one upload to each server');
      const warm = { app: await once('app', false), raw: await once('raw', false) };
      log(
        `warm-up: app ${(opts.sizeMiB / warm.app).toFixed(0)} MiB/s, raw ${(opts.sizeMiB / warm.raw).toFixed(0)} MiB/s`,
      );
      await sleep(1000);
      const settle: number[] = [];
      for (let i = 0; i < 10; i++) {
        settle.push(rssMb(appPid));
        await sleep(50);
      }
      const baselineMb = median(settle);

      const runs: UploadRun[] = [];
      const servers = ['app', 'raw'] as const;
      for (let round = 1; round <= opts.rounds; round++) {
        for (let k = 0; k < servers.length; k++) {
          const server = servers[(k + round - 1) % servers.length]!;
          const seconds = await once(server, true);
          const run = { round, server, MiBps: opts.sizeMiB / seconds, seconds };
          runs.push(run);
          log(`round ${round} ${server}: ${run.MiBps.toFixed(0)} MiB/s (${seconds.toFixed(2)} s)`);
        }
      }

      const of = (server: ServerName): UploadRun[] => runs.filter((r) => r.server === server);
      const ratios = Array.from({ length: opts.rounds }, (_, i) => {
        const a = of('app').find((r) => r.round === i + 1)!;
        const r = of('raw').find((x) => x.round === i + 1)!;
        return a.MiBps / r.MiBps;
      });
      const peak = (phase: 'upload' | 'verify'): number =>
        Math.max(0, ...samples.filter((x) => x.phase === phase).map((x) => x.rss));
      const peakMb = peak('upload');
      const ratio = median(ratios);
      return {
        date: new Date().toISOString(),
        sizeMiB: opts.sizeMiB,
        rounds: opts.rounds,
        runs,
        median: { app: median(of('app').map((r) => r.MiBps)), raw: median(of('raw').map((r) => r.MiBps)) },
        ratios,
        ratio,
        rawWriteHighWaterMark: process.env.WRITE_HIGH_WATER_MARK
          ? Number(process.env.WRITE_HIGH_WATER_MARK)
          : null,
        rss: {
          startMb: rssStart,
          baselineMb,
          peakMb,
          growthMb: peakMb - baselineMb,
          verifyPeakMb: peak('verify'),
          samples: samples.length,
        },
        pass: { throughput: ratio >= 0.7, rss: peakMb - baselineMb < 100 },
      };
    } finally {
      clearInterval(timer);
    }
  } finally {
    if (raw && raw.exitCode === null) {
      const r = raw;
      r.kill('SIGTERM');
      await new Promise((done) => r.once('exit', done));
    }
    if (app) await app.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The Markdown table of bench/README.md's "Upload (scenario 6)" section. */
export function uploadTable(r: UploadScenarioResult): string {
  const day = r.date.slice(0, 10);
  const ok = (good: boolean): string => (good ? '✓' : '✗');
  const size = r.sizeMiB % 1024 === 0 ? `${r.sizeMiB / 1024} GiB` : `${r.sizeMiB} MiB`;
  return [
    '| date | size | rounds | app MiB/s | raw MiB/s | **throughput ratio** (≥ 0.7) | baseline RSS | peak RSS (upload / verify) | **RSS growth** (< 100 MB) |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${day} | ${size} | ${r.rounds} | ${r.median.app.toFixed(0)} | ${r.median.raw.toFixed(0)} | ${r.ratio.toFixed(2)}× ${ok(r.pass.throughput)} | ${r.rss.baselineMb.toFixed(0)} MB | ${r.rss.peakMb.toFixed(0)} / ${r.rss.verifyPeakMb.toFixed(0)} MB | ${r.rss.growthMb.toFixed(0)} MB ${ok(r.pass.rss)} |`,
  ].join('\n');
}

async function main(): Promise<void> {
  const sizeMiB = Number(process.argv[2] ?? 2048);
  const rounds = Number(process.env.ROUNDS ?? 3);
  if (!(sizeMiB > 0) || !Number.isInteger(rounds) || rounds < 1)
    throw new Error('usage: upload.ts [sizeMiB]');
  const result = await runUploadScenario({ sizeMiB, rounds });
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/${result.date.slice(0, 10)}-upload.json`;
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(
    `\n${uploadTable(result)}\n\nper-round ratios: ${result.ratios.map((x) => x.toFixed(2)).join(', ')}`,
  );
  console.log(`wrote ${out}`);
  if (!result.pass.throughput || !result.pass.rss) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
