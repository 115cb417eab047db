import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { readdirSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { bearer, registerOrganisation, uniqueEmail, type Actor } from '../factories';
import { eventually, startApp, type TestApp } from '../utils/app';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

// A worker process killed with SIGKILL in the middle of its
// jobs leaves them to be retried by the next worker, and every effect happens once.
jest.setTimeout(60000);

/** Members invited per phase: each invitation is one `member.invited` event. */
const N = 5;

interface Hit {
  delivery: string;
  eventId: string;
}

/**
 * A webhook receiver that, while `holding`, never answers (the request stays in flight until the
 * sender dies), and afterwards answers 204 at once. It records every request it read.
 */
async function holdingReceiver(): Promise<{
  url: string;
  hits: Hit[];
  inFlight: () => number;
  release: () => void;
  close: () => Promise<void>;
}> {
  const hits: Hit[] = [];
  const held = new Set<ServerResponse>();
  let holding = true;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hits.push({
        delivery: String(req.headers['efir-delivery']),
        eventId: String((JSON.parse(body) as { id: unknown }).id),
      });
      if (holding) {
        held.add(res);
        res.on('close', () => held.delete(res));
      } else {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hits,
    inFlight: () => held.size,
    release: () => {
      holding = false;
      for (const res of held) if (!res.destroyed) res.writeHead(204).end();
      held.clear();
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Stalled and failed job ids seen on one queue's event stream. */
function watch(events: QueueEvents): { stalled: Set<string>; failed: Set<string> } {
  const seen = { stalled: new Set<string>(), failed: new Set<string>() };
  events.on('stalled', ({ jobId }) => seen.stalled.add(jobId));
  events.on('failed', ({ jobId }) => seen.failed.add(jobId));
  return seen;
}

describe('Worker process', () => {
  describe('killed with SIGKILL in the middle of its jobs', () => {
    let t: TestApp;
    let admin: Actor;
    let receiver: Awaited<ReturnType<typeof holdingReceiver>>;
    let locker: Client | null = null;
    const workers: WorkerProcess[] = [];
    const redis: IORedis[] = [];
    const closers: { close: () => Promise<void> }[] = [];
    let queues: { outbox: Queue; webhooks: Queue };
    let seen: { outbox: ReturnType<typeof watch>; webhooks: ReturnType<typeof watch> };
    let endpointId: string;
    /** Members whose invitation was being delivered to the receiver when the worker died. */
    const phaseA: string[] = [];
    /** Members whose invitation event was being handled (uncommitted) when the worker died. */
    const phaseB: string[] = [];
    let killedAt: Date;
    let killSignal: NodeJS.Signals | null;

    const connection = (): IORedis => {
      const c = new IORedis(t.config.redisUrl, { maxRetriesPerRequest: null });
      redis.push(c);
      return c;
    };

    const count = async (sql: string, params: unknown[] = []): Promise<number> => {
      const { rows } = await t.db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
      return rows[0]!.n;
    };

    /** Invites `n` producers at once; returns their user ids. */
    const invite = (n: number): Promise<string[]> =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const res = await t
            .http()
            .post(`/api/v1/organisations/${admin.organisationId}/members`)
            .set(...bearer(admin))
            .send({
              email: uniqueEmail('producer'),
              password: 'member-password-123',
              fullName: 'A producer',
              role: 'producer',
            });
          expect(res.status).toBe(201);
          return String(res.body.id);
        }),
      );

    /** The outbox ids of the `member.invited` events of these users. */
    const invitationEvents = async (userIds: string[]): Promise<string[]> => {
      const { rows } = await t.db.query<{ id: string }>(
        `SELECT id FROM outbox WHERE type = 'member.invited'
            AND payload->'recipients'->'userIds'->>0 = ANY($1::text[]) ORDER BY id`,
        [userIds],
      );
      return rows.map((r) => r.id);
    };

    beforeAll(async () => {
      t = await startApp({
        RUN_WORKER: 'false', // no workers in the API: only the child processes work
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_RETRY_BASE_SECONDS: '1',
        WORKER_LOCK_DURATION_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        // One event per outbox job, so each cut-off event is its own stalled job and its own
        // blocked transaction below (batched jobs are covered in outbox.e2e-spec.ts).
        OUTBOX_JOB_SIZE: '1',
      });
      receiver = await holdingReceiver();
      closers.push(receiver);
      admin = await registerOrganisation(t, { kind: 'studio' });
      const created = await t
        .http()
        .post('/api/v1/webhooks')
        .set(...bearer(admin))
        .send({ url: receiver.url, events: ['member.invited'] });
      expect(created.status).toBe(201);
      endpointId = String(created.body.id);

      const prefix = t.config.queuePrefix;
      queues = {
        outbox: new Queue('outbox', { connection: connection(), prefix }),
        webhooks: new Queue('webhooks', { connection: connection(), prefix }),
      };
      const outboxEvents = new QueueEvents('outbox', { connection: connection(), prefix });
      const webhookEvents = new QueueEvents('webhooks', { connection: connection(), prefix });
      closers.push(queues.outbox, queues.webhooks, outboxEvents, webhookEvents);
      await Promise.all([outboxEvents.waitUntilReady(), webhookEvents.waitUntilReady()]);
      seen = { outbox: watch(outboxEvents), webhooks: watch(webhookEvents) };

      // Phase A: the first worker sends N webhook deliveries, which the receiver keeps in flight.
      const first = spawnWorker(t.config);
      workers.push(first);
      phaseA.push(...(await invite(N)));
      await eventually(() => {
        if (first.child.exitCode !== null) throw new Error(`worker exited:\n${first.output()}`);
        return Promise.resolve(receiver.inFlight() === N);
      }, 30000).catch((err: Error) => {
        throw new Error(
          `${err.message}; ${receiver.inFlight()} in flight; worker output:\n${first.output()}`,
        );
      });

      // Phase B: N more events whose handlers block half-way (fan-out to the webhook endpoint waits
      // for a row lock the test holds), after they wrote their in-app notifications uncommitted.
      locker = new Client({ connectionString: t.config.databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM webhook_endpoints WHERE id = $1 FOR UPDATE', [endpointId]);
      const backend = await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = backend.rows[0]!.pid;
      phaseB.push(...(await invite(N)));
      await eventually(
        async () =>
          (await count('SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
            pid,
          ])) === N,
        15000,
      );
      expect(receiver.inFlight()).toBe(N);

      // The kill: nothing of the first worker survives, not even its open transactions.
      killedAt = new Date();
      await first.stop('SIGKILL');
      killSignal = (await first.exited).signal;
      receiver.release();
      await locker.query('ROLLBACK');

      const second = spawnWorker(t.config);
      workers.push(second);
      await eventually(async () => {
        if (second.child.exitCode !== null) throw new Error(`worker exited:\n${second.output()}`);
        return (
          (await count('SELECT count(*) FROM outbox WHERE handled_at IS NULL')) === 0 &&
          (await count(`SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'`)) === 0 &&
          (await count('SELECT count(*) FROM webhook_deliveries')) === 2 * N
        );
      }, 40000);
    }, 60000);

    afterAll(async () => {
      await Promise.allSettled(workers.map((w) => w.stop('SIGKILL')));
      await locker?.end().catch(() => undefined);
      await Promise.allSettled(closers.map((c) => c.close()));
      for (const c of redis) c.disconnect();
      await t?.close();
    });

    it('sends every delivery that was in flight again, with the same Efir-Delivery id, and records it delivered once', async () => {
      const { rows: deliveries } = await t.db.query<{
        id: string;
        event_id: string;
        status: string;
        attempts: number;
        user_id: string;
      }>(
        `SELECT d.id, d.event_id::text, d.status, d.attempts, o.payload->'recipients'->'userIds'->>0 AS user_id
           FROM webhook_deliveries d JOIN outbox o ON o.id = d.event_id
          WHERE d.endpoint_id = $1 ORDER BY d.event_id`,
        [endpointId],
      );
      expect(deliveries.map((d) => d.user_id).sort()).toEqual([...phaseA, ...phaseB].sort());
      expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);

      // One recorded attempt per delivery, and it succeeded: the killed attempt left no trace.
      const { rows: attempts } = await t.db.query<{ delivery_id: string; n: number; ok: number }>(
        `SELECT delivery_id, count(*)::int AS n, count(*) FILTER (WHERE error IS NULL AND status_code BETWEEN 200 AND 299)::int AS ok
           FROM webhook_attempts GROUP BY delivery_id`,
      );
      expect(attempts).toHaveLength(2 * N);
      expect(attempts.every((a) => a.n === 1 && a.ok === 1)).toBe(true);

      // The receiver saw each delivery that was in flight twice (cut off, then retried), the others
      // once; a delivery always carries its own id and the same event.
      const perDelivery = new Map<string, Hit[]>();
      for (const hit of receiver.hits)
        perDelivery.set(hit.delivery, [...(perDelivery.get(hit.delivery) ?? []), hit]);
      expect([...perDelivery.keys()].sort()).toEqual(deliveries.map((d) => d.id).sort());
      for (const d of deliveries) {
        const hits = perDelivery.get(d.id)!;
        expect({ user: d.user_id, requests: hits.length }).toEqual({
          user: d.user_id,
          requests: phaseA.includes(d.user_id) ? 2 : 1,
        });
        expect(hits.every((h) => h.eventId === d.event_id)).toBe(true);
      }
    });

    it('handles the events that were cut off again and leaves one notification and one e-mail per event and user', async () => {
      const invited = [...phaseA, ...phaseB];
      expect(await count('SELECT count(*) FROM outbox WHERE handled_at IS NULL')).toBe(0);
      // The phase B events were committed by the second worker, after the kill.
      const cutOff = await invitationEvents(phaseB);
      expect(cutOff).toHaveLength(N);
      expect(
        await count('SELECT count(*) FROM outbox WHERE id = ANY($1::bigint[]) AND handled_at > $2', [
          cutOff,
          killedAt,
        ]),
      ).toBe(N);

      const { rows: notes } = await t.db.query<{ user_id: string; n: number; events: number }>(
        `SELECT n.user_id::text, count(*)::int AS n, count(DISTINCT n.event_id)::int AS events
           FROM notifications n WHERE n.type = 'member.invited' AND n.user_id = ANY($1::uuid[])
          GROUP BY n.user_id`,
        [invited],
      );
      expect(notes.map((r) => r.user_id).sort()).toEqual([...invited].sort());
      expect(notes.every((r) => r.n === 1 && r.events === 1)).toBe(true);

      const { rows: mails } = await t.db.query<{ id: string; sent: boolean }>(
        `SELECT id::text, sent_at IS NOT NULL AS sent FROM outgoing_mail WHERE user_id = ANY($1::uuid[])`,
        [invited],
      );
      expect(mails).toHaveLength(2 * N);
      expect(mails.every((m) => m.sent)).toBe(true);
      const files = readdirSync(t.mailDir).filter((f) => f.endsWith('.eml'));
      expect(files.sort()).toEqual(mails.map((m) => `${m.id}.eml`).sort());
    });

    it('returns the killed jobs to the queue as stalled, fails none and leaves none active', async () => {
      expect(killSignal).toBe('SIGKILL');
      const webhookJobs = await t.db.query<{ id: string; n: number }>(
        `SELECT o.id, o.publish_count AS n FROM outbox o JOIN webhook_deliveries d ON d.id = (o.payload->>'deliveryId')::uuid
          JOIN outbox e ON e.id = d.event_id
          WHERE o.type = 'webhook.deliver' AND e.payload->'recipients'->'userIds'->>0 = ANY($1::text[])`,
        [phaseA],
      );
      // Published once: the retries came from BullMQ's stalled-job check, not the outbox sweeper.
      expect(webhookJobs.rows.map((r) => r.n)).toEqual(Array(N).fill(1));
      const cutOff = await invitationEvents(phaseB);
      // The event streams may trail the database a little.
      await eventually(() =>
        Promise.resolve(
          webhookJobs.rows.every((r) => seen.webhooks.stalled.has(`outbox-${r.id}-0`)) &&
            cutOff.every((id) => seen.outbox.stalled.has(`outbox-${id}-0`)),
        ),
      );
      expect([...seen.outbox.failed, ...seen.webhooks.failed]).toEqual([]);
      for (const q of [queues.outbox, queues.webhooks]) {
        expect(await q.getJobCounts('active', 'failed', 'waiting', 'delayed')).toEqual({
          active: 0,
          failed: 0,
          waiting: 0,
          delayed: 0,
        });
      }
    });
  });
});
