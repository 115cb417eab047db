import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { appendFile, open, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { bearer } from '../factories';
import {
  activeContract,
  createBroadcaster,
  createStudio,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import {
  DeliverableVerification,
  verifyJobId,
} from '../../src/modules/deliverables/verification/deliverable-verification';
import { eventually, startApp, type TestApp } from '../utils/app';
import { notificationsAbout, waitForNotification } from '../utils/notifications';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

// Checksum verification runs as a job on the deliverables queue: it claims the row in one short
// transaction, hashes the stored file with no transaction open, and records the result in another
// short transaction that re-checks the row. Large files are registered and completed through tus,
// their leading zeros placed straight into the storage directory as a sparse file.
jest.setTimeout(60000);

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** The bytes of a large file that really travel through tus (its last PATCH). */
const TAIL = 64 * 1024;
/** A transaction open longer than this while a file is hashed fails the test. */
const MAX_TRANSACTION_SECONDS = 1;

/** SHA-256 states after `n` zero bytes, by n: each large file's prefix is hashed once. */
const zeroPrefixes = new Map<number, Hash>();
function zeroPrefix(n: number): Hash {
  let h = zeroPrefixes.get(n);
  if (!h) {
    h = createHash('sha256');
    const zeros = Buffer.alloc(64 * MiB);
    for (let left = n; left > 0; left -= zeros.length)
      h.update(zeros.subarray(0, Math.min(left, zeros.length)));
    zeroPrefixes.set(n, h);
  }
  return h.copy();
}

/** One look at the database while a file is verified. */
interface Sample {
  at: Date;
  status: string;
  /** Seconds the oldest open transaction of another backend of this database had been open. */
  oldestXact: number;
  /** That backend's state and query, for failure messages. */
  oldestWhat: string | null;
  /** Whether another session could lock the deliverable's row (waiting at most 200 ms). */
  lockable: boolean;
}

describe('Checksum verification of deliverables (long work outside transactions)', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  let milestoneId: string;
  const workers: WorkerProcess[] = [];
  const redis: IORedis[] = [];
  let queue: Queue;
  let events: QueueEvents;
  const stalled = new Set<string>();
  const failed = new Set<string>();

  beforeAll(async () => {
    t = await startApp({
      RUN_WORKER: 'false', // only the worker processes verify, so one of them can be killed
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      // A killed worker's job returns to the queue after about both.
      WORKER_LOCK_DURATION_MS: '3000',
      WORKER_STALLED_INTERVAL_MS: '1000',
    });
    workers.push(spawnWorker(t.config));
    const connection = (): IORedis => {
      const c = new IORedis(t.config.redisUrl, { maxRetriesPerRequest: null });
      redis.push(c);
      return c;
    };
    queue = new Queue('deliverables', { connection: connection(), prefix: t.config.queuePrefix });
    events = new QueueEvents('deliverables', { connection: connection(), prefix: t.config.queuePrefix });
    events.on('stalled', ({ jobId }) => stalled.add(jobId));
    events.on('failed', ({ jobId }) => failed.add(jobId));
    await events.waitUntilReady();
    [b, s] = await Promise.all([createBroadcaster(t), createStudio(t)]);
    milestoneId = (await activeContract(t, b, s)).milestones[0]!.id;
  });

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.stop('SIGKILL')));
    await Promise.allSettled([queue?.close(), events?.close()]);
    for (const c of redis) c.disconnect();
    await t?.close();
  });

  const row = async (
    id: string,
  ): Promise<{
    status: string;
    verify_started_at: Date | null;
    verified_at: Date | null;
    verify_attempts: number;
    computed_sha256: string | null;
  }> => {
    const { rows } = await t.db.query(
      `SELECT status, verify_started_at, verified_at, verify_attempts, computed_sha256
         FROM deliverables WHERE id = $1`,
      [id],
    );
    return rows[0];
  };
  const settled = (id: string, expected: 'ready' | 'rejected', ms = 30000) =>
    eventually(async () => (await row(id)).status === expected, ms);
  const count = async (sql: string, params: unknown[]): Promise<number> => {
    const { rows } = await t.db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
    return rows[0]!.n;
  };
  /** The results recorded for a deliverable: audit events, outbox notifications, in-app notices. */
  const results = async (id: string) => ({
    audit: await count(
      `SELECT count(*) FROM audit_events WHERE entity_type = 'deliverable' AND entity_id = $1
          AND action IN ('deliverable.ready', 'deliverable.rejected')`,
      [id],
    ),
    events: await count(
      `SELECT count(*) FROM outbox WHERE type IN ('deliverable.ready', 'deliverable.rejected')
          AND payload->'data'->>'deliverableId' = $1`,
      [id],
    ),
  });
  const jobState = async (jobId: string): Promise<string | undefined> =>
    (await queue.getJob(jobId))?.getState();

  /**
   * Registers a file of `size` bytes (zeros, then TAIL random bytes) and stores all but its tail:
   * the zeros go straight into the storage directory as a sparse file (`tamper` may then change
   * them). `finish` sends the tail, the tus PATCH that completes the upload.
   */
  async function prepare(
    size: number,
    opts: { tamper?: (file: string) => Promise<void> } = {},
  ): Promise<{ id: string; sha256: string; finish: () => Promise<void> }> {
    const tail = randomBytes(TAIL);
    const sha256 = zeroPrefix(size - TAIL)
      .update(tail)
      .digest('hex');
    const reg = await t
      .http()
      .post(`/api/v1/milestones/${milestoneId}/deliverables`)
      .set(...bearer(s.producer))
      // A kind without technical QC: only the checksum matters here.
      .send({
        kind: 'other',
        fileName: 'archive.bin',
        size,
        sha256,
        contentType: 'application/octet-stream',
      });
    expect({ status: reg.status, body: reg.body }).toMatchObject({ status: 201 });
    const id = reg.body.deliverable.id as string;
    const file = join(t.storageDir, id);
    await truncate(file, size - TAIL);
    await opts.tamper?.(file);
    const finish = async (): Promise<void> => {
      const patch = await t
        .http()
        .patch(new URL(reg.body.uploadUrl as string).pathname)
        .set(...bearer(s.producer))
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Offset', String(size - TAIL))
        .set('Content-Type', 'application/offset+octet-stream')
        .send(tail);
      expect(patch.status).toBe(204);
    };
    return { id, sha256, finish };
  }

  /** `prepare`, then `finish`. */
  async function upload(size: number, opts: { tamper?: (file: string) => Promise<void> } = {}) {
    const file = await prepare(size, opts);
    await file.finish();
    return file;
  }

  /**
   * Samples pg_stat_activity (every backend of this test's database but the sampler's own) and
   * tries to lock the deliverable's row, about every 25 ms, until the deliverable leaves
   * `verifying` after `start` ran.
   */
  async function sampleVerification(id: string, start: () => Promise<void>): Promise<Sample[]> {
    const sampler = new Client({ connectionString: t.config.databaseUrl });
    await sampler.connect();
    const samples: Sample[] = [];
    try {
      const started = start();
      const until = Date.now() + 40000;
      for (let done = false; !done;) {
        if (Date.now() > until) throw new Error(`still ${samples.at(-1)?.status} after 40 s`);
        const { rows } = await sampler.query<Omit<Sample, 'lockable'>>(
          `SELECT clock_timestamp() AS at,
                  (SELECT status FROM deliverables WHERE id = $1) AS status,
                  coalesce(extract(epoch FROM max(clock_timestamp() - a.xact_start)), 0)::float8 AS "oldestXact",
                  (SELECT o.state || ': ' || left(o.query, 120) FROM pg_stat_activity o
                    WHERE o.datname = current_database() AND o.pid <> pg_backend_pid() AND o.xact_start IS NOT NULL
                    ORDER BY o.xact_start LIMIT 1) AS "oldestWhat"
             FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`,
          [id],
        );
        const sample = rows[0]!;
        let lockable = true;
        await sampler.query('BEGIN');
        try {
          await sampler.query(`SET LOCAL lock_timeout = '200ms'`);
          await sampler.query('SELECT 1 FROM deliverables WHERE id = $1 FOR UPDATE', [id]);
        } catch (err) {
          if ((err as { code?: string }).code !== '55P03') throw err;
          lockable = false;
        } finally {
          await sampler.query('ROLLBACK');
        }
        samples.push({ ...sample, lockable });
        done = sample.status === 'ready' || sample.status === 'rejected';
        if (!done) await new Promise((r) => setTimeout(r, 25));
      }
      await started;
    } finally {
      await sampler.end();
    }
    return samples;
  }

  it('hashes a 1 GiB upload with no transaction open and no lock on its row, then makes it ready', async () => {
    const file = await prepare(GiB);
    const samples = await sampleVerification(file.id, file.finish);
    const r = await row(file.id);
    expect(r.status).toBe('ready');
    expect(r.computed_sha256).toBe(file.sha256);
    // The samples taken after the claim while the row was still `verifying`: the hash and the
    // recording of its result.
    const during = samples.filter((x) => x.at > r.verify_started_at! && x.status === 'verifying');
    expect(during.length).toBeGreaterThanOrEqual(10);
    // No backend of the database (API and worker pools) had a transaction open for a second or
    // more at any of those samples, and another session could always lock the row.
    const oldest = during.reduce((a, x) => (x.oldestXact > a.oldestXact ? x : a));
    expect({ longest: oldest.oldestXact < MAX_TRANSACTION_SECONDS, what: oldest.oldestWhat }).toEqual({
      longest: true,
      what: oldest.oldestWhat,
    });
    expect(during.filter((x) => !x.lockable)).toEqual([]);
    expect(r.verify_attempts).toBe(1);
    expect(await results(file.id)).toEqual({ audit: 1, events: 1 });
  });

  it('runs the verification twice at once and once more later: one transition, one audit event, one notification', async () => {
    const verification = t.app.get(DeliverableVerification);
    let id = '';
    await queue.pause();
    try {
      id = (await upload(256 * MiB)).id;
      // The outbox handler queued the deliverable's job; the paused queue keeps it waiting.
      await eventually(async () => ['waiting', 'paused'].includes((await jobState(verifyJobId(id))) ?? ''));
      // Two runs of the processor at once: both claim the row, both hash, one records.
      await Promise.all([verification.run(id), verification.run(id)]);
      expect(await row(id)).toMatchObject({ status: 'ready', verify_attempts: 2 });
    } finally {
      await queue.resume();
    }
    // The queued job runs after them and finds nothing to claim.
    await eventually(async () => (await jobState(verifyJobId(id))) === 'completed');
    // Adding the job again by its id does nothing while BullMQ keeps the completed one.
    const again = await queue.add('verify', { deliverableId: id }, { jobId: verifyJobId(id) });
    expect(await again.getState()).toBe('completed');
    // A twin with another id runs, and also finds nothing to claim.
    await queue.add('verify', { deliverableId: id }, { jobId: `twin-${id}` });
    await eventually(async () => (await jobState(`twin-${id}`)) === 'completed');

    expect(await row(id)).toMatchObject({ status: 'ready', verify_attempts: 2 });
    expect(await results(id)).toEqual({ audit: 1, events: 1 });
    await waitForNotification(t, s.producer, 'deliverable.ready', { deliverableId: id }, 20000);
    expect(await notificationsAbout(t, s.producer, 'deliverable.ready', { deliverableId: id })).toHaveLength(
      1,
    );
  });

  it('rejects a stored file that differs from the declared hash, or from the declared size', async () => {
    // A byte of the stored file changed before the upload completed.
    const flipped = await upload(64 * MiB, {
      tamper: async (file) => {
        const fh = await open(file, 'r+');
        await fh.write(Buffer.from([1]), 0, 1, 12345);
        await fh.close();
      },
    });
    // Bytes added to the stored file after the upload completed, before its job ran.
    let grown = '';
    await queue.pause();
    try {
      grown = (await upload(64 * MiB)).id;
      await appendFile(join(t.storageDir, grown), Buffer.from('trailing bytes'));
    } finally {
      await queue.resume();
    }
    await settled(flipped.id, 'rejected');
    await settled(grown, 'rejected');
    expect((await row(flipped.id)).computed_sha256).not.toBe(flipped.sha256);
    const { rows } = await t.db.query<{ after: { bytes: string } }>(
      `SELECT after FROM audit_events WHERE entity_id = $1 AND action = 'deliverable.rejected'`,
      [grown],
    );
    expect(rows.map((r) => r.after.bytes)).toEqual([String(64 * MiB + 'trailing bytes'.length)]);
    for (const id of [flipped.id, grown]) {
      expect(await results(id)).toEqual({ audit: 1, events: 1 });
      await waitForNotification(t, s.producer, 'deliverable.rejected', { deliverableId: id }, 20000);
    }
  });

  it('retries the job of a worker killed mid-hash on another worker, and makes the deliverable ready once', async () => {
    const { id } = await upload(GiB);
    await eventually(async () => (await row(id)).verify_started_at !== null, 20000);
    await workers[0]!.stop('SIGKILL');
    // Killed after its claim and before any result: mid-hash.
    expect(await row(id)).toMatchObject({ status: 'verifying', verified_at: null, verify_attempts: 1 });

    workers.push(spawnWorker(t.config));
    await settled(id, 'ready', 40000);
    // The second worker claimed it again and recorded the one result.
    expect(await row(id)).toMatchObject({ status: 'ready', verify_attempts: 2 });
    expect(await results(id)).toEqual({ audit: 1, events: 1 });
    // Returned to the queue by BullMQ's stalled-job check, not failed.
    await eventually(() => Promise.resolve(stalled.has(verifyJobId(id))));
    const job = (await queue.getJob(verifyJobId(id)))!;
    expect({ state: await job.getState(), stalled: job.stalledCounter }).toEqual({
      state: 'completed',
      stalled: 1,
    });
    expect([...failed]).toEqual([]);
    await waitForNotification(t, s.producer, 'deliverable.ready', { deliverableId: id }, 20000);
    expect(await notificationsAbout(t, s.producer, 'deliverable.ready', { deliverableId: id })).toHaveLength(
      1,
    );
  });
});
