/**
 * Memory bench: a 2 GiB deliverable uploaded over tus and downloaded again must not grow the
 * API server's RSS by 100 MB or more (everything streams). Run by hand:
 *
 *   npm run build && npx ts-node --transpile-only bench/upload-memory.ts [sizeMiB]
 *
 * It starts `node dist/src/main.js` on a scratch database and storage dir, prepares an active
 * contract through the HTTP API, uploads a random file with tus-js-client (streamed from disk),
 * waits for the checksum verification, downloads the file, and samples the server's RSS from
 * /proc every 50 ms. Results are printed as JSON (and appended to bench/results/upload-memory.jsonl).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { api as call, briefBody, register as registerOrg, startServer } from './lib';

const SIZE = Number(process.argv[2] ?? 2048) * 1024 * 1024;

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
};

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'efir-bench-'));
  const file = join(scratch, 'master.bin');
  // A random file, written and hashed in 16 MiB blocks.
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    let left = SIZE;
    const write = (): void => {
      while (left > 0) {
        const block = randomBytes(Math.min(left, 16 * 1024 * 1024));
        left -= block.length;
        hash.update(block);
        if (!out.write(block)) return void out.once('drain', write);
      }
      out.end(resolve);
    };
    out.on('error', reject);
    write();
  });
  const sha256 = hash.digest('hex');

  const server = await startServer('mem', { MAX_UPLOAD_BYTES: String(SIZE * 2) });
  const { env } = server;
  const BASE = server.base;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench glue: the API bodies are read loosely
  const api = <T = any>(method: string, path: string, token: string | null, body?: unknown): Promise<T> =>
    call<T>(BASE, method, path, token, body);
  const register = (kind: 'broadcaster' | 'studio') => registerOrg(BASE, kind);
  const samples: { phase: string; rss: number }[] = [];
  let phase = 'idle';
  try {
    const pid = server.process.pid!;
    const timer = setInterval(() => {
      if (server.process.exitCode === null) samples.push({ phase, rss: rssMb(pid) });
    }, 50);

    // An active contract, through the API.
    const b = await register('broadcaster');
    const s = await register('studio');
    const op = await api('POST', '/auth/login', null, {
      email: env.OPERATOR_EMAIL,
      password: env.OPERATOR_PASSWORD,
    });
    await api('POST', `/organisations/${s.orgId}/verify`, op.accessToken);
    const now = Date.now();
    const iso = (ms: number): string => new Date(now + ms).toISOString();
    const brief = await api('POST', '/briefs', b.token, briefBody('Bench brief', 1000, 3000));
    await api('POST', `/briefs/${brief.id}/publish`, b.token);
    const bid = await api('POST', `/briefs/${brief.id}/bids`, s.token, {
      price: { amount: 1_000_000, currency: 'KZT' },
      breakdown: [{ label: 'All', amount: { amount: 1_000_000, currency: 'KZT' } }],
      milestones: [{ title: 'Master', share: 100, dueAt: iso(30 * 86400_000) }],
      creativeApproach: 'x',
      team: 'x',
      submit: true,
    });
    await new Promise((r) => setTimeout(r, 3500 - (Date.now() - now)));
    const { contractId } = await api('POST', `/briefs/${brief.id}/award`, b.token, { bidId: bid.id });
    const contract = await api('GET', `/contracts/${contractId}`, b.token);
    await api('POST', `/contracts/${contractId}/sign`, b.token, { termsHash: contract.termsHash });
    await api('POST', `/contracts/${contractId}/sign`, s.token, { termsHash: contract.termsHash });
    const milestoneId = contract.milestones[0].id as string;
    const reg = await api('POST', `/milestones/${milestoneId}/deliverables`, s.token, {
      kind: 'programme_master',
      fileName: 'master.bin',
      size: SIZE,
      sha256,
      contentType: 'application/octet-stream',
    });

    const base = rssMb(pid);
    phase = 'upload';
    const t0 = Date.now();
    await new Promise<void>((resolve, reject) => {
      new Upload(createReadStream(file), {
        uploadUrl: reg.uploadUrl,
        uploadSize: SIZE,
        chunkSize: 64 * 1024 * 1024,
        headers: { Authorization: `Bearer ${s.token}` },
        retryDelays: [],
        onError: reject,
        onSuccess: () => resolve(),
      }).start();
    });
    const uploadMs = Date.now() - t0;
    phase = 'verify';
    for (;;) {
      const list = await api<{ status: string }[]>('GET', `/milestones/${milestoneId}/deliverables`, s.token);
      if (list[0]?.status === 'ready') break;
      if (list[0]?.status === 'rejected') throw new Error('upload was rejected');
      await new Promise((r) => setTimeout(r, 200));
    }
    phase = 'download';
    const t1 = Date.now();
    const res = await fetch(`${BASE}/deliverables/${reg.deliverable.id}/content`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    let downloaded = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) downloaded += chunk.length;
    const downloadMs = Date.now() - t1;
    clearInterval(timer);

    const peak = (p: string): number =>
      Math.max(...samples.filter((x) => x.phase === p).map((x) => x.rss), 0);
    const result = {
      at: new Date().toISOString(),
      sizeMiB: SIZE / 1024 / 1024,
      baselineRssMb: Math.round(base),
      peakRssMb: {
        upload: Math.round(peak('upload')),
        verify: Math.round(peak('verify')),
        download: Math.round(peak('download')),
      },
      growthMb: Math.round(Math.max(peak('upload'), peak('verify'), peak('download')) - base),
      uploadMiBps: Math.round(SIZE / 1024 / 1024 / (uploadMs / 1000)),
      downloadMiBps: Math.round(downloaded / 1024 / 1024 / (downloadMs / 1000)),
      downloadedBytes: downloaded,
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    appendFileSync('bench/results/upload-memory.jsonl', `${JSON.stringify(result)}\n`);
    if (result.growthMb >= 100 || downloaded !== SIZE) process.exitCode = 1;
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
