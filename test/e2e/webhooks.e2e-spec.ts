import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createHmac } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { WebhooksService } from '../../src/modules/notifications/webhooks/webhooks.service';
import { webhookAttempts } from '../../src/shared/queue/queue.constants';
import { addMember, bearer, loginOperator, registerOrganisation, type Actor } from '../factories';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { waitForNotification } from '../utils/notifications';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

/** A webhook receiver on 127.0.0.1; `answer` responds (or not) once the request body is in. */
async function listen(answer: (res: ServerResponse, n: number) => void): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      answer(res, received.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections(); // requests left hanging must not hold the app's worker
        server.close(() => r());
      }),
  };
}

/** A webhook receiver that answers 500 to the first `failures` requests, then 204. */
const receiver = (failures: number): Promise<Receiver> =>
  listen((res, n) => res.writeHead(n <= failures ? 500 : 204).end());

/** Never answers: the request stays open until the receiver is closed. */
const hangingReceiver = (): Promise<Receiver> => listen(() => undefined);

/** Answers 200 at once, then sends its body a byte a second and never ends it. */
const tricklingBodyReceiver = (): Promise<Receiver> =>
  listen((res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('.');
    const timer = setInterval(() => res.write('.'), 1000);
    res.on('close', () => clearInterval(timer));
  });

/**
 * A raw TCP "HTTP server" that starts a status line at once and then sends one header line a
 * second, never finishing the headers: the socket is never idle, yet no response ever arrives.
 */
async function tricklingHeadersReceiver(): Promise<{
  url: string;
  hits: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    hits++;
    socket.on('error', () => undefined);
    socket.write('HTTP/1.1 200 OK\r\n');
    const timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 1000);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hits: () => hits,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: { at: string; statusCode: number | null; durationMs: number; error: string | null }[];
  createdAt: string;
  deliveredAt: string | null;
}

/** Waits for a condition on local state (what a receiver has seen). */
const until = (check: () => boolean, ms?: number): Promise<true> =>
  eventually(() => Promise.resolve(check() || undefined), ms);

const typesOf = (r: { received: Received[] }): string[] =>
  r.received.map((x) => (JSON.parse(x.body) as { type: string }).type).sort();

describe('Webhooks', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await startApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1' });
    admin = await registerOrganisation(t, { kind: 'studio' });
  });
  afterAll(() => t.close());

  /** Registers an endpoint for `a`'s organisation; returns its id. */
  async function subscribe(a: Actor, url: string, events: string[]): Promise<string> {
    const res = await t
      .http()
      .post('/api/v1/webhooks')
      .set(...bearer(a))
      .send({ url, events });
    expect(res.status).toBe(201);
    return String(res.body.id);
  }

  async function deliveriesOf(a: Actor, endpointId: string): Promise<Delivery[]> {
    const res = await t
      .http()
      .get(`/api/v1/webhooks/${endpointId}/deliveries`)
      .set(...bearer(a));
    expect(res.status).toBe(200);
    return res.body.items as Delivery[];
  }

  async function verify(org: Actor): Promise<void> {
    const operator = await loginOperator(t);
    await t
      .http()
      .post(`/api/v1/organisations/${org.organisationId}/verify`)
      .set(...bearer(operator))
      .expect(200);
  }

  it('signs deliveries and retries a failing receiver until it succeeds, recording every attempt', async () => {
    const r = await receiver(2);
    try {
      const created = await t
        .http()
        .post('/api/v1/webhooks')
        .set(...bearer(admin))
        .send({ url: r.url, events: ['member.invited'] });
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const listed = await t
        .http()
        .get('/api/v1/webhooks')
        .set(...bearer(admin))
        .expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

      await addMember(t, admin, 'producer');
      const deliveries = await eventually(async () => {
        const res = await t
          .http()
          .get(`/api/v1/webhooks/${created.body.id}/deliveries`)
          .set(...bearer(admin));
        return res.body.items[0]?.status === 'delivered' ? res.body.items : undefined;
      }, 20000);
      expect(deliveries[0].attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([
        500, 500, 204,
      ]);

      expect(r.received).toHaveLength(3);
      const last = r.received[2]!;
      const expected = createHmac('sha256', created.body.secret)
        .update(`${String(last.headers['efir-timestamp'])}.${last.body}`)
        .digest('hex');
      expect(last.headers['efir-signature']).toBe(`v1=${expected}`);
      expect(last.headers['efir-event']).toBe('member.invited');
      expect(new Set(r.received.map((x) => x.headers['efir-delivery'])).size).toBe(1);
      expect(JSON.parse(last.body)).toEqual(
        expect.objectContaining({
          type: 'member.invited',
          id: expect.any(String),
          occurredAt: expect.any(String),
        }),
      );
    } finally {
      await r.close();
    }
  });

  it('refuses URLs on private addresses unless allowed', async () => {
    const strict = await startApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', RUN_WORKER: 'false' });
    try {
      const a = await registerOrganisation(strict, { kind: 'broadcaster' });
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://localhost/x',
        'http://169.254.169.254/latest',
        'http://10.0.0.1/',
      ]) {
        const res = await strict
          .http()
          .post('/api/v1/webhooks')
          .set(...bearer(a))
          .send({ url, events: ['*'] });
        expectProblem(res, 422, 'WEBHOOK_TARGET_REFUSED');
      }
    } finally {
      await strict.close();
    }
  });

  it('with private targets allowed, accepts IPv6 forms of private addresses but never credentials or unparsable URLs', async () => {
    const a = await registerOrganisation(t, { kind: 'studio' });
    const send = (url: string) =>
      t
        .http()
        .post('/api/v1/webhooks')
        .set(...bearer(a))
        .send({ url, events: ['*'] });
    const allowed = [
      'http://[64:ff9b::a00:1]/hook',
      'http://[::ffff:127.0.0.1]:9/hook',
      'http://[fec0::1]/hook',
    ];
    for (const url of allowed)
      expect({ url, status: (await send(url)).status }).toEqual({ url, status: 201 });
    for (const url of ['http://user:pass@127.0.0.1:9/hook', 'http://[fe80::1%25eth0]/hook'])
      expectProblem(await send(url), 400, 'WEBHOOK_URL_INVALID');
    const listed = await t
      .http()
      .get('/api/v1/webhooks')
      .set(...bearer(a))
      .expect(200);
    expect((listed.body.items as { url: string }[]).map((w) => w.url)).toEqual(allowed);
    expect(listed.body.nextCursor).toBeNull();
    // Paged oldest first: limit=1, then the cursor, down to the last page.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t
        .http()
        .get(`/api/v1/webhooks?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        .set(...bearer(a))
        .expect(200);
      expect(page.body.items).toHaveLength(1);
      seen.push(page.body.items[0].url as string);
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null && seen.length <= allowed.length);
    expect(seen).toEqual(allowed);
    for (const query of ['limit=0', 'limit=101', 'cursor=garbage']) {
      const res = await t
        .http()
        .get(`/api/v1/webhooks?${query}`)
        .set(...bearer(a));
      expectProblem(res, 400, query.startsWith('cursor') ? 'INVALID_CURSOR' : undefined);
    }
    for (const w of listed.body.items as { id: string }[])
      await t
        .http()
        .delete(`/api/v1/webhooks/${w.id}`)
        .set(...bearer(a))
        .expect(204);
  });

  it('is for organisation admins only', async () => {
    const producer = await addMember(t, admin, 'producer');
    const res = await t
      .http()
      .get('/api/v1/webhooks')
      .set(...bearer(producer));
    expectProblem(res, 403);
  });

  describe('event filters', () => {
    it('delivers only subscribed types, and only to the organisations an event concerns', async () => {
      const mine = await registerOrganisation(t, { kind: 'studio' });
      const other = await registerOrganisation(t, { kind: 'studio' });
      const [verifiedOnly, everything, otherOrg] = await Promise.all([receiver(0), receiver(0), receiver(0)]);
      try {
        const verifiedOnlyId = await subscribe(mine, verifiedOnly.url, ['organisation.verified']);
        await subscribe(mine, everything.url, ['*']);
        const otherOrgId = await subscribe(other, otherOrg.url, ['*']);

        await addMember(t, mine, 'producer'); // member.invited, for `mine` only
        await verify(mine); // organisation.verified, for `mine` only

        await until(() => everything.received.length >= 2 && verifiedOnly.received.length >= 1);
        expect(typesOf(everything)).toEqual(['member.invited', 'organisation.verified']);
        // Deliveries are created in the event's own transaction: by now every one of them exists.
        expect(typesOf(verifiedOnly)).toEqual(['organisation.verified']);
        expect((await deliveriesOf(mine, verifiedOnlyId)).map((d) => d.eventType)).toEqual([
          'organisation.verified',
        ]);
        expect(await deliveriesOf(other, otherOrgId)).toEqual([]);
        expect(otherOrg.received).toHaveLength(0);

        // The other organisation's endpoint does work: an event of its own reaches it.
        await addMember(t, other, 'producer');
        await until(() => otherOrg.received.length >= 1);
        expect(typesOf(otherOrg)).toEqual(['member.invited']);
        expect(typesOf(everything)).toEqual(['member.invited', 'organisation.verified']);
      } finally {
        await Promise.all([verifiedOnly.close(), everything.close(), otherOrg.close()]);
      }
    });
  });

  describe('DELETE /webhooks/{id}', () => {
    it('disables the endpoint: no new deliveries, gone from the list, past deliveries still readable', async () => {
      const owner = await registerOrganisation(t, { kind: 'broadcaster' });
      const commissioner = await addMember(t, owner, 'commissioner');
      // Its invitation is an event too: let it pass before any endpoint exists.
      await waitForNotification(t, commissioner, 'member.invited');
      const stranger = await registerOrganisation(t, { kind: 'broadcaster' });
      const [deleted, kept] = await Promise.all([receiver(0), receiver(0)]);
      try {
        const deletedId = await subscribe(owner, deleted.url, ['*']);
        const keptId = await subscribe(owner, kept.url, ['*']);
        await addMember(t, owner, 'finance');
        await until(() => deleted.received.length >= 1 && kept.received.length >= 1);
        // The receiver has the request a moment before the worker records the attempt.
        const [before] = await eventually(async () => {
          const items = await deliveriesOf(owner, deletedId);
          return items[0]?.status === 'delivered' && items;
        });
        expect(before).toMatchObject({ status: 'delivered', eventType: 'member.invited' });

        expectProblem(
          await t
            .http()
            .delete(`/api/v1/webhooks/${deletedId}`)
            .set(...bearer(commissioner)),
          403,
        );
        expectProblem(
          await t
            .http()
            .delete(`/api/v1/webhooks/${deletedId}`)
            .set(...bearer(stranger)),
          404,
        );
        expectProblem(
          await t
            .http()
            .delete('/api/v1/webhooks/not-a-uuid')
            .set(...bearer(owner)),
          400,
        );

        const res = await t
          .http()
          .delete(`/api/v1/webhooks/${deletedId}`)
          .set(...bearer(owner));
        expect(res.status).toBe(204);
        expect(res.text).toBe('');
        expectProblem(
          await t
            .http()
            .delete(`/api/v1/webhooks/${deletedId}`)
            .set(...bearer(owner)),
          404,
        );
        const listed = await t
          .http()
          .get('/api/v1/webhooks')
          .set(...bearer(owner))
          .expect(200);
        expect((listed.body.items as { id: string }[]).map((w) => w.id)).toEqual([keptId]);

        // A new event reaches the kept endpoint, and nothing is created or sent for the deleted one.
        await addMember(t, owner, 'commissioner');
        await until(() => kept.received.length >= 2);
        expect(deleted.received).toHaveLength(1);
        // The deliveries stay for the record (webhook.entity.ts), readable by the owner only.
        expect(await deliveriesOf(owner, deletedId)).toEqual([before]);
        expectProblem(
          await t
            .http()
            .get(`/api/v1/webhooks/${deletedId}/deliveries`)
            .set(...bearer(stranger)),
          404,
        );
        // …but a disabled endpoint's delivery cannot be sent again.
        expectProblem(
          await t
            .http()
            .post(`/api/v1/webhook-deliveries/${before!.id}/redeliver`)
            .set(...bearer(owner)),
          404,
        );
      } finally {
        await Promise.all([deleted.close(), kept.close()]);
      }
    });
  });

  describe('POST /webhook-deliveries/{id}/redeliver', () => {
    it('sends the same event again with the same Efir-Delivery id and records one more attempt', async () => {
      const owner = await registerOrganisation(t, { kind: 'studio' });
      const stranger = await registerOrganisation(t, { kind: 'studio' });
      const r = await receiver(0);
      try {
        const endpointId = await subscribe(owner, r.url, ['member.invited']);
        const producer = await addMember(t, owner, 'producer');
        const first = await eventually(async () => {
          const [d] = await deliveriesOf(owner, endpointId);
          return d?.status === 'delivered' && d;
        });
        expect(first.attempts).toHaveLength(1);

        for (const [who, status] of [
          [stranger, 404],
          [producer, 403],
        ] as const) {
          expectProblem(
            await t
              .http()
              .post(`/api/v1/webhook-deliveries/${first.id}/redeliver`)
              .set(...bearer(who)),
            status,
          );
        }
        expectProblem(
          await t
            .http()
            .post('/api/v1/webhook-deliveries/00000000-0000-4000-8000-000000000000/redeliver')
            .set(...bearer(owner)),
          404,
        );
        expect(r.received).toHaveLength(1);

        const res = await t
          .http()
          .post(`/api/v1/webhook-deliveries/${first.id}/redeliver`)
          .set(...bearer(owner));
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ id: first.id, status: 'pending' });

        const again = await eventually(async () => {
          const [d] = await deliveriesOf(owner, endpointId);
          return d?.status === 'delivered' && d.attempts.length === 2 && d;
        });
        expect(again.id).toBe(first.id);
        expect(again.attempts.map((a) => a.statusCode)).toEqual([204, 204]);
        expect(r.received).toHaveLength(2);
        const [one, two] = r.received;
        expect(two!.headers['efir-delivery']).toBe(first.id);
        expect(two!.headers['efir-delivery']).toBe(one!.headers['efir-delivery']);
        expect(two!.headers['efir-event']).toBe('member.invited');
        expect(JSON.parse(two!.body)).toEqual(JSON.parse(one!.body)); // the same event, same id
      } finally {
        await r.close();
      }
    });
  });

  describe('retry schedule and dead letter', () => {
    it('retries for at least 24 hours: webhookAttempts is the smallest n reaching a day', () => {
      const day = 86400;
      const n = webhookAttempts(30);
      expect(n).toBe(13);
      // Sized for the shortest schedule: every wait cut by the 20 % jitter.
      expect(0.8 * 30 * (2 ** (n - 1) - 1)).toBeGreaterThanOrEqual(day);
      expect(0.8 * 30 * (2 ** (n - 2) - 1)).toBeLessThan(day);
      for (const base of [1, 7, 60, 3600]) {
        const m = webhookAttempts(base);
        expect(0.8 * base * (2 ** (m - 1) - 1)).toBeGreaterThanOrEqual(day);
        expect(0.8 * base * (2 ** (m - 2) - 1)).toBeLessThan(day);
      }
    });

    it('marks the delivery failed after its last attempt, closes the outbox row and tells the admins', async () => {
      const owner = await registerOrganisation(t, { kind: 'studio' });
      const r = await receiver(Number.POSITIVE_INFINITY);
      const redis = new IORedis(t.config.redisUrl, { maxRetriesPerRequest: null });
      const queue = new Queue('webhooks', { connection: redis, prefix: t.config.queuePrefix });
      let paused = false;
      try {
        const endpointId = await subscribe(owner, r.url, ['member.invited']);
        await addMember(t, owner, 'producer');
        const delivery = await eventually(async () => {
          const [d] = await deliveriesOf(owner, endpointId);
          return d && d.attempts.length >= 1 && d;
        });
        expect(delivery.status).toBe('pending');
        expect(delivery.attempts[0]).toMatchObject({ statusCode: 500, error: 'HTTP 500' });
        const {
          rows: [outbox],
        } = await t.db.query<{ id: string }>(
          `SELECT id FROM outbox WHERE type = 'webhook.deliver' AND payload->>'deliveryId' = $1`,
          [delivery.id],
        );

        // The job that the relay put on the `webhooks` queue carries the whole schedule.
        const job = await queue.getJob(`outbox-${outbox!.id}-0`);
        const attempts = webhookAttempts(t.config.webhookRetryBaseSeconds);
        expect(job?.data).toEqual({ outboxId: outbox!.id });
        expect(job?.opts.attempts).toBe(attempts);
        expect(job?.opts.backoff).toEqual({ type: 'custom' });

        // The real schedule lasts over a day: hold the queue, then run the last attempt directly.
        await queue.pause();
        paused = true;
        await eventually(async () => (await queue.getActiveCount()) === 0);
        const { rows: before } = await t.db.query<{ attempts: number }>(
          'SELECT attempts FROM webhook_deliveries WHERE id = $1',
          [delivery.id],
        );
        const sent = r.received.length;
        await expect(
          t.app.get(WebhooksService).deliver({
            data: { outboxId: outbox!.id },
            attemptsMade: attempts - 1,
            opts: { attempts },
          } as never),
        ).resolves.toBeUndefined();
        expect(r.received).toHaveLength(sent + 1);

        const [failed] = await deliveriesOf(owner, endpointId);
        expect(failed).toMatchObject({ id: delivery.id, status: 'failed', deliveredAt: null });
        expect(failed!.attempts).toHaveLength(before[0]!.attempts + 1);
        expect(failed!.attempts.at(-1)).toMatchObject({ statusCode: 500, error: 'HTTP 500' });
        const { rows: handled } = await t.db.query<{ handled_at: Date | null }>(
          'SELECT handled_at FROM outbox WHERE id = $1',
          [outbox!.id],
        );
        expect(handled[0]!.handled_at).toBeInstanceOf(Date);

        const notice = await waitForNotification(t, owner, 'webhook.failed');
        expect(notice.data).toMatchObject({
          deliveryId: delivery.id,
          url: r.url,
          eventType: 'member.invited',
        });

        // The job's own next retry, once the queue runs again, sends nothing more.
        await queue.resume();
        paused = false;
        await eventually(async () => (await job!.getState()) === 'completed', 15000);
        expect(r.received).toHaveLength(sent + 1);
        const [after] = await deliveriesOf(owner, endpointId);
        expect(after).toMatchObject({ status: 'failed', attempts: failed!.attempts });
      } finally {
        if (paused) await queue.resume();
        await queue.close();
        redis.disconnect();
        await r.close();
      }
    });
  });

  describe('isolation and timeouts', () => {
    it('delivers to a fast endpoint at once while others hang, and gives up on those after 10 s', async () => {
      const owner = await registerOrganisation(t, { kind: 'studio' });
      const fast = await receiver(0);
      const hanging = await hangingReceiver();
      const slowHeaders = await tricklingHeadersReceiver();
      const slowBody = await tricklingBodyReceiver();
      const ids: string[] = [];
      try {
        for (const r of [fast, hanging, slowHeaders, slowBody])
          ids.push(await subscribe(owner, r.url, ['*']));
        const [fastId, hangingId, slowHeadersId, slowBodyId] = ids as [string, string, string, string];

        const started = Date.now();
        await addMember(t, owner, 'producer');
        await eventually(async () => {
          const [d] = await deliveriesOf(owner, fastId);
          return d?.status === 'delivered';
        }, 3000);
        expect(Date.now() - started).toBeLessThan(3000);
        // The hanging endpoint has the request, but its attempt is still open.
        await until(() => hanging.received.length === 1 && slowHeaders.hits() === 1);
        const [open] = await deliveriesOf(owner, hangingId);
        expect(open).toMatchObject({ status: 'pending', attempts: [] });

        // A receiver that answered 200 has been heard, however slowly it sends its body.
        const bodyDelivery = await eventually(async () => {
          const [d] = await deliveriesOf(owner, slowBodyId);
          return d?.status === 'delivered' && d;
        }, 3000);
        expect(bodyDelivery.attempts).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);

        // Silence and a trickle of headers both end after 10 s, as a timeout.
        for (const id of [hangingId, slowHeadersId]) {
          const [timedOut] = await eventually(async () => {
            const items = await deliveriesOf(owner, id);
            return items[0]!.attempts.length >= 1 && items;
          }, 15000);
          expect(timedOut!.status).toBe('pending'); // to be retried
          const first = timedOut!.attempts[0]!;
          expect(first).toMatchObject({ statusCode: null, error: expect.stringMatching(/timeout/) });
          expect(first.durationMs).toBeGreaterThanOrEqual(9900);
          expect(first.durationMs).toBeLessThan(12000);
        }
      } finally {
        // Closed first: whatever is still in flight to them ends now, and nothing holds the worker.
        await Promise.all([fast.close(), hanging.close(), slowHeaders.close(), slowBody.close()]);
        // Disabled endpoints are not retried: nothing keeps running against closed receivers.
        for (const id of ids)
          await t
            .http()
            .delete(`/api/v1/webhooks/${id}`)
            .set(...bearer(owner));
      }
    }, 30000);
  });
});
