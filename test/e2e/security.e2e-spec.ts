import { createDecipheriv, hkdfSync, randomUUID } from 'node:crypto';
import { decode, sign, type JwtPayload } from 'jsonwebtoken';
import { bearer, registerOrganisation, uniqueEmail, validBin, type Actor } from '../factories';
import { API, startApp, TEST_SECRETS, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

const UPLOAD_ORIGIN = 'https://studio-tools.example';

/** Regression tests of the security review (issue 11) that do not belong to one module's spec. */
describe('Security review regressions', () => {
  let t: TestApp;
  let studio: Actor;

  beforeAll(async () => {
    t = await startApp({ CORS_ORIGINS: UPLOAD_ORIGIN, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    studio = await registerOrganisation(t, { kind: 'studio' });
  });
  afterAll(() => t.close());

  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
  const registration = () => ({
    organisation: { name: 'Deep Studio', kind: 'studio', country: 'KZ', bin: validBin() },
    user: { email: uniqueEmail('deep'), password: 'correct-horse-battery', fullName: 'A B' },
  });
  const organisationCount = async (): Promise<number> =>
    Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM organisations')).rows[0]!.n);

  describe('deeply nested JSON (item 3)', () => {
    it('refuses a body nested 3,000 levels deep on a public route with 400 MALFORMED_REQUEST', async () => {
      const before = await organisationCount();
      const raw = JSON.stringify(registration()).replace('"Deep Studio"', nested(3000));
      const res = await t
        .http()
        .post(`${API}/auth/register`)
        .set('Content-Type', 'application/json')
        .send(raw);
      expectProblem(res, 400, 'MALFORMED_REQUEST');
      expect(res.body.detail).toContain('32');
      expect(await organisationCount()).toBe(before);
    });

    it('refuses objects nested 3,000 deep on an authenticated route, and accepts 32 levels', async () => {
      const deepObject = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
      const deep = await t
        .http()
        .post(`${API}/briefs`)
        .set(...bearer(studio))
        .set('Content-Type', 'application/json')
        .send(`{"title":"x","synopsis":${deepObject}}`);
      expectProblem(deep, 400, 'MALFORMED_REQUEST');
      // 32 levels parse; the DTO then refuses the unknown field (not a parser error)
      const ok = await t
        .http()
        .post(`${API}/auth/register`)
        .set('Content-Type', 'application/json')
        .send(`{"extra":${nested(31)}}`);
      expectProblem(ok, 400, 'VALIDATION_FAILED');
    });

    it('refuses 800 KB of nested arrays with 413 before parsing, and the server keeps answering', async () => {
      const chunk = nested(30);
      const body = `{"x":[${Array.from({ length: Math.ceil(800_000 / (chunk.length + 1)) }, () => chunk).join(',')}]}`;
      const responses = await Promise.all(
        [1, 2, 3].map(() =>
          t
            .http()
            .post(`${API}/briefs`)
            .set(...bearer(studio))
            .set('Content-Type', 'application/json')
            .send(body),
        ),
      );
      for (const res of responses) expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      await t.http().get(`${API}/health/live`).expect(200);
    });

    it('keeps credential routes to small bodies (16 KB)', async () => {
      const res = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: studio.email, password: 'x'.repeat(20_000) });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('request bodies other than JSON (item 10)', () => {
    it('refuses a form-encoded login with 415, even with the right password', async () => {
      const res = await t
        .http()
        .post(`${API}/auth/login`)
        .type('form')
        .send({ email: studio.email, password: studio.password });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.accessToken).toBeUndefined();
    });

    it('refuses tus upload bodies (application/offset+octet-stream) outside the upload route', async () => {
      const res = await t
        .http()
        .post(`${API}/auth/login`)
        .set('Content-Type', 'application/offset+octet-stream')
        .send(Buffer.from('{"email":"x@example.com","password":"y"}'));
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses form-encoded and text bodies on other routes', async () => {
      for (const type of ['form', 'text'] as const) {
        const res = await t
          .http()
          .post(`${API}/auth/register`)
          .type(type)
          .send(type === 'form' ? 'organisation[name]=X' : 'hello');
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });
  });

  describe('Content-Security-Policy (item 10)', () => {
    it('is strict on API responses and errors', async () => {
      for (const res of [
        await t.http().get(`${API}/health/live`),
        await t.http().get(`${API}/me`),
        await t.http().get('/nothing-here'),
      ]) {
        const csp = res.headers['content-security-policy'] as string;
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('https:');
      }
    });

    it('is relaxed for the OpenAPI UI under /docs only', async () => {
      const res = await t.http().get('/docs').redirects(1);
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self' https: 'unsafe-inline'");
    });
  });

  describe('access tokens (item 10)', () => {
    const claimsOf = (a: Actor): JwtPayload => decode(a.token) as JwtPayload;
    // jsonwebtoken keeps a payload's own iat; noTimestamp drops it
    const mint = (payload: object, noTimestamp = false): string =>
      sign(payload, TEST_SECRETS.JWT_SECRET, { algorithm: 'HS256', noTimestamp });
    const now = (): number => Math.floor(Date.now() / 1000);

    it('accepts a token re-signed with the same claims (the control)', async () => {
      const token = mint(claimsOf(studio));
      await t.http().get(`${API}/me`).set('Authorization', `Bearer ${token}`).expect(200);
    });

    it('refuses a token without exp, also at the upload endpoint', async () => {
      const { exp: _exp, ...claims } = claimsOf(studio);
      const token = mint({ ...claims, iat: now() });
      expectProblem(await t.http().get(`${API}/me`).set('Authorization', `Bearer ${token}`), 401);
      const tus = await t
        .http()
        .head(`${API}/uploads/${randomUUID()}`)
        .set('Authorization', `Bearer ${token}`)
        .set('Tus-Resumable', '1.0.0');
      expect(tus.status).toBe(401);
    });

    it('refuses a token issued longer ago than the access-token lifetime, whatever its exp says', async () => {
      const token = mint({ ...claimsOf(studio), iat: now() - 3600, exp: now() + 3600 });
      expectProblem(await t.http().get(`${API}/me`).set('Authorization', `Bearer ${token}`), 401);
    });

    it('refuses a token without iat', async () => {
      const { iat: _iat, ...claims } = claimsOf(studio);
      expectProblem(
        await t
          .http()
          .get(`${API}/me`)
          .set('Authorization', `Bearer ${mint(claims, true)}`),
        401,
      );
    });
  });

  describe('the tus endpoint (item 10)', () => {
    const tus = (method: 'head' | 'patch' | 'options', id: string) =>
      t.http()[method](`${API}/uploads/${id}`).set('Tus-Resumable', '1.0.0');

    it('answers 404, not 500, for an upload id that is not a UUID', async () => {
      for (const id of ['not-a-uuid', "1'%20OR%20'1'='1", '%00']) {
        const head = await tus('head', id).set(...bearer(studio));
        expect(head.status).toBe(404);
        const patch = await tus('patch', id)
          .set(...bearer(studio))
          .set('Upload-Offset', '0')
          .set('Content-Type', 'application/offset+octet-stream')
          .send(Buffer.from('data'));
        expect(patch.status).toBe(404);
      }
    });

    it('sends no CORS header to an origin that is not configured, and the configured one', async () => {
      const id = randomUUID();
      for (const method of ['options', 'head'] as const) {
        const evil = await tus(method, id)
          .set(...bearer(studio))
          .set('Origin', 'https://evil.example');
        expect(evil.headers['access-control-allow-origin']).toBeUndefined();
        const none = await tus(method, id).set(...bearer(studio));
        expect(none.headers['access-control-allow-origin']).toBeUndefined();
        const allowed = await tus(method, id)
          .set(...bearer(studio))
          .set('Origin', UPLOAD_ORIGIN);
        expect(allowed.headers['access-control-allow-origin']).toBe(UPLOAD_ORIGIN);
      }
    });
  });

  describe('webhook secrets (item 10)', () => {
    it('are encrypted with WEBHOOK_SECRET_KEY, not with a key derived from JWT_SECRET', async () => {
      const res = await t
        .http()
        .post(`${API}/webhooks`)
        .set(...bearer(studio))
        .send({ url: 'http://127.0.0.1:9/hook', events: ['bid.awarded'] })
        .expect(201);
      const { rows } = await t.db.query<{ secret_encrypted: string }>(
        'SELECT secret_encrypted FROM webhook_endpoints WHERE id = $1',
        [res.body.id],
      );
      const decrypt = (material: string): string => {
        const key = Buffer.from(hkdfSync('sha256', material, 'efir', 'webhook-secrets', 32));
        const [iv, tag, data] = rows[0]!.secret_encrypted.split('.').map((p) => Buffer.from(p, 'base64url'));
        const decipher = createDecipheriv('aes-256-gcm', key, iv!);
        decipher.setAuthTag(tag!);
        return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
      };
      expect(decrypt(TEST_SECRETS.WEBHOOK_SECRET_KEY)).toBe(res.body.secret);
      expect(() => decrypt(TEST_SECRETS.JWT_SECRET)).toThrow();
    });
  });
});
