import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addMember, bearer, registerOrganisation, type Actor } from '../factories';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver that answers 500 to the first `failures` requests, then 204. */
async function receiver(
  failures: number,
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(received.length <= failures ? 500 : 204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('Webhooks', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await startApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1' });
    admin = await registerOrganisation(t, { kind: 'studio' });
  });
  afterAll(() => t.close());

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

  it('is for organisation admins only', async () => {
    const producer = await addMember(t, admin, 'producer');
    const res = await t
      .http()
      .get('/api/v1/webhooks')
      .set(...bearer(producer));
    expectProblem(res, 403);
  });
});
