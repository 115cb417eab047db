import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addMember, bearer, registerOrganisation, type Actor } from '../factories';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

// The webhook target guard with WEBHOOK_ALLOW_PRIVATE_TARGETS unset (the default): only global
// unicast addresses, however they are written, at registration and at connection time.
describe('Webhook targets', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const register = (a: Actor, url: string) =>
    t
      .http()
      .post('/api/v1/webhooks')
      .set(...bearer(a))
      .send({ url, events: ['*'] });

  /** Nothing was stored for the organisation: not listed, and no row at all. */
  async function expectNoEndpoints(a: Actor): Promise<void> {
    const listed = await t
      .http()
      .get('/api/v1/webhooks')
      .set(...bearer(a))
      .expect(200);
    expect(listed.body).toEqual({ items: [], nextCursor: null });
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_endpoints WHERE organisation_id = $1',
      [a.organisationId],
    );
    expect(rows[0]!.n).toBe(0);
  }

  describe('POST /webhooks', () => {
    it('refuses IP literals that are, embed or translate to a non-global address', async () => {
      const a = await registerOrganisation(t, { kind: 'studio' });
      for (const url of [
        'http://[64:ff9b::a00:1]/hook', // NAT64 of 10.0.0.1
        'http://[64:ff9b::10.0.0.1]/hook',
        'http://[64:ff9b::7f00:1]/hook', // NAT64 of 127.0.0.1
        'http://[64:ff9b::a9fe:a9fe]/latest', // NAT64 of 169.254.169.254
        'http://[64:ff9b:1::a00:1]/hook', // local-use NAT64
        'http://[2002:a00:1::]/hook', // 6to4 of 10.0.0.1
        'http://[::10.0.0.1]/hook', // IPv4-compatible
        'http://[::ffff:127.0.0.1]/hook', // IPv4-mapped
        'http://[::ffff:a9fe:a9fe]/latest',
        'http://[::ffff:0:a00:1]/hook', // IPv4-translated
        'http://[2001::1]/hook', // Teredo
        'http://[fec0::1]/hook', // site-local
        'http://[fe80::1]/hook',
        'http://[fc00::1]/hook',
        'http://[::1]/hook',
        'http://[::]/hook',
        'http://0x7f000001/hook', // WHATWG: 127.0.0.1
        'http://0xa9fea9fe/latest', // WHATWG: 169.254.169.254
        'http://100.64.0.1/hook',
        'http://0.0.0.0/hook',
      ]) {
        const res = await register(a, url);
        expect({ url, status: res.status }).toEqual({ url, status: 422 });
        expectProblem(res, 422, 'WEBHOOK_TARGET_REFUSED');
      }
      // Integer and short IPv4 forms never get past validation of the URL.
      for (const url of ['http://2130706433/hook', 'http://127.1/hook', 'http://0177.0.0.1/hook'])
        expectProblem(await register(a, url), 400, 'VALIDATION_FAILED');
      await expectNoEndpoints(a);
    });

    it('refuses URLs with credentials with 400', async () => {
      const a = await registerOrganisation(t, { kind: 'studio' });
      for (const url of [
        'http://user:pass@8.8.8.8/hook',
        'https://user@8.8.8.8/hook',
        'http://:pass@8.8.8.8/',
      ]) {
        const res = await register(a, url);
        expectProblem(res, 400, 'WEBHOOK_URL_INVALID');
        expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(/credentials/) }]);
      }
      await expectNoEndpoints(a);
    });

    it('answers 400, not 500, for a URL Node cannot parse (an IPv6 zone id)', async () => {
      const a = await registerOrganisation(t, { kind: 'studio' });
      for (const url of [
        'http://[fe80::1%25eth0]/hook',
        'http://[fe80::1%eth0]/hook',
        'http://[2606:4700:4700::1111%25eth0]/hook',
      ])
        expectProblem(await register(a, url), 400, 'WEBHOOK_URL_INVALID');
      await expectNoEndpoints(a);
    });

    it('accepts global addresses, NAT64 of a global IPv4 address included', async () => {
      const a = await registerOrganisation(t, { kind: 'studio' });
      const urls = [
        'http://8.8.8.8/hook',
        'http://[2606:4700:4700::1111]/hook',
        'http://[64:ff9b::808:808]/hook',
      ];
      for (const url of urls) {
        const res = await register(a, url);
        expect({ url, status: res.status }).toEqual({ url, status: 201 });
      }
      const listed = await t
        .http()
        .get('/api/v1/webhooks')
        .set(...bearer(a))
        .expect(200);
      expect((listed.body.items as { url: string }[]).map((w) => w.url)).toEqual(urls);
      for (const w of listed.body.items as { id: string }[])
        await t
          .http()
          .delete(`/api/v1/webhooks/${w.id}`)
          .set(...bearer(a))
          .expect(204);
    });
  });

  describe('delivery', () => {
    it('refuses, at connection time, a stored URL whose IP literal is private, and sends nothing', async () => {
      const received: string[] = [];
      const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
        received.push(req.url ?? '');
        res.writeHead(204).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const { port } = server.address() as AddressInfo;
      const owner = await registerOrganisation(t, { kind: 'studio' });
      try {
        // Stored before the guard knew better (or while private targets were allowed): the
        // endpoints are registered on a public address, then pointed at the local receiver.
        const stored = [
          `http://127.0.0.1:${port}/v4`,
          `http://[::ffff:127.0.0.1]:${port}/mapped`,
          `http://localhost:${port}/name`,
          `http://user:pass@127.0.0.1:${port}/credentials`,
        ];
        const ids: string[] = [];
        for (const url of stored) {
          const res = await register(owner, 'http://8.8.8.8:9/hook');
          expect(res.status).toBe(201);
          ids.push(String(res.body.id));
          await t.db.query('UPDATE webhook_endpoints SET url = $1 WHERE id = $2', [url, res.body.id]);
        }

        await addMember(t, owner, 'producer');
        for (const id of ids) {
          const [d] = await eventually(async () => {
            const res = await t
              .http()
              .get(`/api/v1/webhooks/${id}/deliveries`)
              .set(...bearer(owner));
            const items = res.body.items as { status: string; attempts: { error: string | null }[] }[];
            return items[0]?.status === 'failed' && items;
          });
          // Refused once and for all: no retries.
          expect(d!.attempts).toEqual([
            expect.objectContaining({ statusCode: null, error: expect.stringMatching(/^refused: /) }),
          ]);
        }
        expect(received).toEqual([]);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    });
  });
});
