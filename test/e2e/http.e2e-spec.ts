import { randomUUID } from 'node:crypto';
import { addMember, bearer, registerOrganisation, uniqueEmail, validBin, type Actor } from '../factories';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem, type ProblemChecks } from '../utils/expect';
import { TcpProxy } from '../utils/tcp-proxy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Here every error is also checked to have an absolute `type` URI and never to be cached. */
const CONVENTIONS: ProblemChecks = { typeUri: true, noStore: true };

const registration = (overrides: { email?: string; country?: string; extra?: object } = {}) => {
  const country = overrides.country ?? 'KZ';
  return {
    organisation: {
      name: 'Problem Studio',
      kind: 'studio',
      country,
      ...(country === 'KZ' ? { bin: validBin() } : {}),
    },
    user: {
      email: overrides.email ?? uniqueEmail('reg'),
      password: 'correct-horse-battery',
      fullName: 'A B',
    },
    ...overrides.extra,
  };
};

describe('HTTP conventions', () => {
  let t: TestApp;
  let studio: Actor;
  let producer: Actor;

  beforeAll(async () => {
    t = await startApp();
    studio = await registerOrganisation(t, { kind: 'studio' });
    producer = await addMember(t, studio, 'producer');
  });
  afterAll(() => t.close());

  describe('problem+json errors', () => {
    it('answers a malformed JSON body with 400 MALFORMED_REQUEST', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send('{"organisation": {"name": ');
      expectProblem(res, 400, 'MALFORMED_REQUEST', CONVENTIONS);
    });

    it('answers an unknown field with 400 VALIDATION_FAILED naming the field', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send(registration({ extra: { isOperator: true } }));
      expectProblem(res, 400, 'VALIDATION_FAILED', CONVENTIONS);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([{ field: 'isOperator', message: expect.any(String) }]),
      );
    });

    it('names a nested invalid field with a dotted path', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send(registration({ country: 'kz' }));
      expectProblem(res, 400, 'VALIDATION_FAILED', CONVENTIONS);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([{ field: 'organisation.country', message: expect.any(String) }]),
      );
      for (const e of res.body.errors as { field: string; message: string }[]) {
        expect(typeof e.field).toBe('string');
        expect(typeof e.message).toBe('string');
      }
    });

    it('answers a request without a token with 401', async () => {
      expectProblem(await t.http().get('/api/v1/me'), 401, 'UNAUTHENTICATED', CONVENTIONS);
    });

    it('answers a garbage token with 401', async () => {
      const res = await t.http().get('/api/v1/me').set('Authorization', 'Bearer not.a.jwt');
      expectProblem(res, 401, 'UNAUTHENTICATED', CONVENTIONS);
    });

    it('answers a producer verifying an organisation with 403', async () => {
      const res = await t
        .http()
        .post(`/api/v1/organisations/${studio.organisationId}/verify`)
        .set(...bearer(producer));
      expectProblem(res, 403, 'FORBIDDEN', CONVENTIONS);
    });

    it('answers an unknown route with 404', async () => {
      const res = await t
        .http()
        .get('/api/v1/no-such-route')
        .set(...bearer(studio));
      expectProblem(res, 404, 'NOT_FOUND', CONVENTIONS);
    });

    it('answers an unknown organisation id with 404', async () => {
      const res = await t
        .http()
        .get(`/api/v1/organisations/${randomUUID()}`)
        .set(...bearer(studio));
      expectProblem(res, 404, 'NOT_FOUND', CONVENTIONS);
    });

    it('answers an id that is not a uuid with 400', async () => {
      const res = await t
        .http()
        .get('/api/v1/organisations/not-a-uuid')
        .set(...bearer(studio));
      expectProblem(res, 400, 'VALIDATION_FAILED', CONVENTIONS);
    });

    it('answers a second registration with the same e-mail with 409 EMAIL_TAKEN', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send(registration({ email: studio.email.toUpperCase() }));
      expectProblem(res, 409, 'EMAIL_TAKEN', CONVENTIONS);
    });

    it('answers a JSON body over 1 MB with 413', async () => {
      const body = registration({ extra: { padding: 'x'.repeat(1024 * 1024 + 10) } });
      const res = await t.http().post('/api/v1/auth/register').send(body);
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE', CONVENTIONS);
    });

    it('answers a text/plain body on a JSON route with 415', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(registration()));
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE', CONVENTIONS);
    });

    it('answers a VAT rate on a studio with 422', async () => {
      const res = await t
        .http()
        .patch(`/api/v1/organisations/${studio.organisationId}`)
        .set(...bearer(studio))
        .send({ vatRate: 12 });
      expectProblem(res, 422, 'NOT_A_BROADCASTER', CONVENTIONS);
    });
  });

  describe('headers', () => {
    it('does not let private responses be cached', async () => {
      const me = await t
        .http()
        .get('/api/v1/me')
        .set(...bearer(studio));
      expect(me.status).toBe(200);
      expect(me.headers['cache-control']).toBe('no-store');
    });

    it('does not let responses carrying tokens be cached', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: studio.email, password: studio.password });
      expect(res.status).toBe(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('sends the helmet security headers on API responses and on errors', async () => {
      for (const res of [
        await t.http().get('/api/v1/health/live'),
        await t.http().get('/api/v1/nothing-here'),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toContain("default-src 'none'");
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['x-frame-options']).toBeDefined();
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('echoes a sane X-Request-Id', async () => {
      const id = `client-${randomUUID()}`;
      const res = await t.http().get('/api/v1/health/live').set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toBe(id);
    });

    it('generates a uuid X-Request-Id when the client sends none', async () => {
      const a = await t.http().get('/api/v1/health/live');
      const b = await t.http().get('/api/v1/nothing-here');
      expect(a.headers['x-request-id']).toMatch(UUID);
      expect(b.headers['x-request-id']).toMatch(UUID);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });

    it('replaces an X-Request-Id that is too long or contains spaces', async () => {
      for (const insane of ['a'.repeat(300), 'has spaces in it', '<script>alert(1)</script>']) {
        const res = await t.http().get('/api/v1/health/live').set('X-Request-Id', insane);
        expect(res.status).toBe(200);
        expect(res.headers['x-request-id']).toMatch(UUID);
      }
    });
  });

  describe('GET /health', () => {
    it('reports liveness', async () => {
      const res = await t.http().get('/api/v1/health/live');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('reports readiness with the database, Redis, queues and the outbox backlog', async () => {
      const res = await t.http().get('/api/v1/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({
          status: 'ok',
          database: 'up',
          redis: 'up',
          queues: expect.objectContaining({ outbox: expect.any(Object) }),
          outboxBacklog: expect.any(Number),
        }),
      );
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('GET /docs', () => {
    it('serves the OpenAPI UI', async () => {
      const res = await t.http().get('/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });

    it('documents every implemented route and the bearer scheme', async () => {
      const res = await t.http().get('/docs-json');
      expect(res.status).toBe(200);
      const paths = res.body.paths as Record<string, Record<string, unknown>>;
      const expected: [string, string][] = [
        ['post', '/auth/register'],
        ['post', '/auth/login'],
        ['post', '/auth/refresh'],
        ['post', '/auth/logout'],
        ['get', '/me'],
        ['get', '/organisations/{id}/members'],
        ['post', '/organisations/{id}/members'],
        ['get', '/organisations/{id}'],
        ['patch', '/organisations/{id}'],
        ['post', '/organisations/{id}/verify'],
        ['get', '/notifications'],
        ['post', '/notifications/{id}/read'],
        ['get', '/audit'],
        ['get', '/audit/verify'],
        ['get', '/health/live'],
        ['get', '/health/ready'],
      ];
      const missing = expected.filter(([method, path]) => !paths[path]?.[method]);
      expect(missing).toEqual([]);
      const schemes = res.body.components?.securitySchemes as Record<
        string,
        { type: string; scheme?: string }
      >;
      expect(Object.values(schemes)).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'http', scheme: 'bearer' })]),
      );
    });
  });

  // A second app with its own configuration: a low login limit, and PostgreSQL reached through
  // a proxy that the test can cut. It shares the first app's database.
  describe('with a login limit of 2 and PostgreSQL behind a proxy', () => {
    const proxy = new TcpProxy('127.0.0.1', 5432);
    let t2: TestApp;

    beforeAll(async () => {
      await proxy.open();
      const database = new URL(t.config.databaseUrl).pathname;
      t2 = await startApp({
        DATABASE_URL: proxy.url('postgres', database),
        RUN_WORKER: 'false',
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '2',
      });
      // Its own pg client goes through the proxy too; a cut must not crash the test process.
      t2.db.on('error', () => undefined);
    });
    afterAll(async () => {
      await proxy.open().catch(() => undefined);
      await t2.close();
      await proxy.cut();
    });

    it('answers the third login attempt for one account with 429 and Retry-After', async () => {
      const email = studio.email;
      for (let i = 0; i < 2; i++) {
        const res = await t2
          .http()
          .post('/api/v1/auth/login')
          .send({ email, password: 'wrong-password-123' });
        expectProblem(res, 401, 'INVALID_CREDENTIALS', CONVENTIONS);
      }
      const res = await t2.http().post('/api/v1/auth/login').send({ email, password: studio.password });
      expectProblem(res, 429, 'RATE_LIMITED', CONVENTIONS);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });

    it('is not ready while PostgreSQL is unreachable, stays live, and recovers', async () => {
      expect((await t2.http().get('/api/v1/health/ready')).status).toBe(200);
      await proxy.cut();

      const down = await t2.http().get('/api/v1/health/ready');
      expect(down.status).toBe(503);
      expect(down.body).toEqual(expect.objectContaining({ status: 'error', database: 'down', redis: 'up' }));
      const live = await t2.http().get('/api/v1/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });

      await proxy.open();
      const up = await eventually(async () => {
        const res = await t2.http().get('/api/v1/health/ready');
        return res.status === 200 ? res : undefined;
      }, 15000);
      expect(up.body).toEqual(expect.objectContaining({ status: 'ok', database: 'up' }));
    });
  });
});
