import { randomBytes } from 'node:crypto';
import { sign, type SignOptions } from 'jsonwebtoken';
import type { Response } from 'supertest';
import { login, registerOrganisation, uniqueEmail, validBin, type Actor } from '../factories';
import { eventually, OPERATOR, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { mailsTo } from '../utils/mail';
import { TcpProxy } from '../utils/tcp-proxy';

const REGISTER = '/api/v1/auth/register';
const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';
const ME = '/api/v1/me';

const ISSUER = 'efir';
const AUDIENCE = 'efir-api';

function fieldsOf(res: Response): string[] {
  return ((res.body.errors ?? []) as { field: string }[]).map((e) => e.field);
}

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

const encodePart = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function registerBody(
  overrides: { organisation?: Record<string, unknown>; user?: Record<string, unknown> } = {},
) {
  return {
    organisation: {
      name: `Org ${randomBytes(3).toString('hex')}`,
      kind: 'studio',
      country: 'KZ',
      bin: validBin(),
      ...overrides.organisation,
    },
    user: {
      email: uniqueEmail('reg'),
      password: 'correct-horse-battery',
      fullName: 'First Admin',
      ...overrides.user,
    },
  };
}

/** A BIN whose 12th digit is not the check digit of the first eleven. */
function badCheckDigitBin(): string {
  const bin = validBin();
  const last = Number(bin[11]);
  return bin.slice(0, 11) + String((last + 1) % 10);
}

describe('Auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The credential endpoints share a per-IP limit; every request here comes from 127.0.0.1, so
    // it is raised for this app (the limits themselves are tested on an app of their own below).
    t = await startApp({ LOGIN_RATE_LIMIT_PER_IP: '1000' });
  });
  afterAll(() => t.close());

  async function rowCounts(): Promise<{ organisations: number; users: number }> {
    const { rows } = await t.db.query<{ organisations: number; users: number }>(
      `SELECT (SELECT count(*) FROM organisations)::int AS organisations, (SELECT count(*) FROM users)::int AS users`,
    );
    return rows[0]!;
  }

  /** Runs a refused request and checks it left no organisation or user behind. */
  async function refused(body: object): Promise<Response> {
    const before = await rowCounts();
    const res = await t.http().post(REGISTER).send(body);
    expect(await rowCounts()).toEqual(before);
    return res;
  }

  function forge(payload: Record<string, unknown>, options: SignOptions = {}, secret?: string): string {
    return sign(payload, secret ?? t.config.jwtSecret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      ...options,
    });
  }

  function claimsOf(actor: Actor): Record<string, unknown> {
    return {
      sub: actor.userId,
      org: actor.organisationId,
      kind: 'studio',
      role: 'admin',
      sid: decodePart(actor.token.split('.')[1]).sid,
      typ: 'access',
    };
  }

  describe('POST /auth/register', () => {
    it('creates the organisation and its first admin, and signs the admin in', async () => {
      const body = registerBody({ organisation: { kind: 'broadcaster' } });
      const res = await t.http().post(REGISTER).send(body);
      expect(res.status).toBe(201);
      const organisation = { id: expect.any(String), name: body.organisation.name, kind: 'broadcaster' };
      expect(res.body).toEqual({
        user: {
          id: expect.any(String),
          email: body.user.email,
          fullName: 'First Admin',
          role: 'admin',
          organisation,
        },
        organisation: expect.objectContaining({ ...organisation, country: 'KZ', bin: body.organisation.bin }),
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: expect.any(Number),
      });
      expect(res.body.user.organisation.id).toBe(res.body.organisation.id);
      expect(res.body.user).not.toHaveProperty('passwordHash');
      const me = await t.http().get(ME).set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(res.body.user.id);
    });

    it('refuses a Kazakhstan organisation without a BIN with a field error for organisation.bin', async () => {
      const body = registerBody();
      delete (body.organisation as { bin?: string }).bin;
      const res = await refused(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('organisation.bin');
    });

    it('refuses a Kazakhstan BIN with a wrong check digit', async () => {
      const res = await refused(registerBody({ organisation: { bin: badCheckDigitBin() } }));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('organisation.bin');
    });

    it('registers an organisation outside Kazakhstan without a BIN', async () => {
      const body = registerBody({ organisation: { country: 'GB' } });
      delete (body.organisation as { bin?: string }).bin;
      const res = await t.http().post(REGISTER).send(body);
      expect(res.status).toBe(201);
      expect(res.body.organisation).toMatchObject({ country: 'GB', bin: null });
    });

    it('refuses an e-mail address already taken, whatever its case, with 409 EMAIL_TAKEN', async () => {
      const email = uniqueEmail('Case').replace('case', 'CaSe');
      const first = await t
        .http()
        .post(REGISTER)
        .send(registerBody({ user: { email } }));
      expect(first.status).toBe(201);
      expect(first.body.user.email).toBe(email.toLowerCase());
      const res = await refused(registerBody({ user: { email: email.toUpperCase() } }));
      expectProblem(res, 409, 'EMAIL_TAKEN');
      const again = await refused(registerBody({ user: { email: email.toLowerCase() } }));
      expectProblem(again, 409, 'EMAIL_TAKEN');
    });

    it('refuses a BIN already registered with 409 ORGANISATION_EXISTS', async () => {
      const bin = validBin();
      const first = await t
        .http()
        .post(REGISTER)
        .send(registerBody({ organisation: { bin } }));
      expect(first.status).toBe(201);
      const res = await refused(registerBody({ organisation: { bin } }));
      expectProblem(res, 409, 'ORGANISATION_EXISTS');
    });

    it('refuses unknown fields at the top level and inside organisation and user', async () => {
      const top = await refused({ ...registerBody(), referrer: 'x' });
      expectProblem(top, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(top)).toContain('referrer');

      const org = await refused(registerBody({ organisation: { verified: true } }));
      expectProblem(org, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(org)).toContain('organisation.verified');

      const user = await refused(registerBody({ user: { role: 'operator' } }));
      expectProblem(user, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(user)).toContain('user.role');
    });

    it('refuses the platform organisation kind', async () => {
      const res = await refused(registerBody({ organisation: { kind: 'platform' } }));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('organisation.kind');
    });

    it('refuses a password shorter than 10 characters', async () => {
      const res = await refused(registerBody({ user: { password: 'short-pw1' } }));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('user.password');
    });
  });

  describe('POST /auth/login', () => {
    let admin: Actor;
    beforeAll(async () => {
      admin = await registerOrganisation(t);
    });

    it('returns a token pair and the user for the right password', async () => {
      const res = await t.http().post(LOGIN).send({ email: admin.email, password: admin.password });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        user: {
          id: admin.userId,
          email: admin.email,
          fullName: 'First Admin',
          role: 'admin',
          organisation: { id: admin.organisationId, name: expect.any(String), kind: 'studio' },
        },
      });
      const me = await t.http().get(ME).set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(me.status).toBe(200);
    });

    it('accepts the e-mail address in any case', async () => {
      const res = await t
        .http()
        .post(LOGIN)
        .send({ email: admin.email.toUpperCase(), password: admin.password });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(admin.userId);
    });

    it('answers a wrong password and an unknown e-mail with the same status, code and body', async () => {
      const wrong = await t.http().post(LOGIN).send({ email: admin.email, password: 'not-the-password' });
      const unknown = await t
        .http()
        .post(LOGIN)
        .send({ email: uniqueEmail('nobody'), password: 'not-the-password' });
      expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
      expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.headers['content-type']).toBe(wrong.headers['content-type']);
      expect(wrong.body).not.toHaveProperty('accessToken');
    });

    it('refuses a body without a password or with a malformed e-mail with 400', async () => {
      const noPassword = await t.http().post(LOGIN).send({ email: admin.email });
      expectProblem(noPassword, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(noPassword)).toContain('password');

      const notEmail = await t.http().post(LOGIN).send({ email: 'not-an-email', password: admin.password });
      expectProblem(notEmail, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(notEmail)).toContain('email');
    });

    it('stores passwords as Argon2id with m=19456, t=2, p=1', async () => {
      const { rows } = await t.db.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE email = $1',
        [admin.email],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.password_hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
      expect(rows[0]!.password_hash).not.toContain(admin.password);
    });
  });

  describe('access tokens', () => {
    let admin: Actor;
    beforeAll(async () => {
      admin = await registerOrganisation(t, { kind: 'studio' });
    });

    const me = (token?: string) => {
      const req = t.http().get(ME);
      return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
    };

    it('live at most 15 minutes (exp - iat <= 900) and carry iss and aud', () => {
      const [header, payload] = admin.token.split('.');
      expect(decodePart(header)).toMatchObject({ alg: 'HS256' });
      const claims = decodePart(payload) as { iat: number; exp: number; iss: string; aud: string };
      expect(claims.exp - claims.iat).toBeGreaterThan(0);
      expect(claims.exp - claims.iat).toBeLessThanOrEqual(900);
      expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: admin.userId, typ: 'access' });
    });

    it('GET /me answers a valid token with the user and organisation', async () => {
      const res = await me(admin.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: admin.userId,
        email: admin.email,
        fullName: 'First Admin',
        role: 'admin',
        organisation: { id: admin.organisationId, name: expect.any(String), kind: 'studio' },
        language: null,
        emailNotifications: true,
        emailMutedTypes: [],
      });
    });

    it('PATCH /me sets the language and mutes e-mail per notification type', async () => {
      const res = await t
        .http()
        .patch('/api/v1/me')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ language: 'kk', emailMutedTypes: ['brief.published'] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ language: 'kk', emailMutedTypes: ['brief.published'] }),
      );
      const bad = await t
        .http()
        .patch('/api/v1/me')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ emailMutedTypes: ['no.such.type'] });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
    });

    it('GET /me refuses a missing Authorization header with 401', async () => {
      expectProblem(await me(), 401, 'UNAUTHENTICATED');
    });

    it('GET /me refuses a bearer value that is not a JWT with 401', async () => {
      expectProblem(await me('garbage'), 401, 'UNAUTHENTICATED');
    });

    it('GET /me refuses an unsigned alg=none token with 401', async () => {
      const none = `${encodePart({ alg: 'none', typ: 'JWT' })}.${encodePart({
        ...claimsOf(admin),
        iss: ISSUER,
        aud: AUDIENCE,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 600,
      })}.`;
      expectProblem(await me(none), 401, 'UNAUTHENTICATED');
    });

    it('GET /me refuses a token signed with another secret with 401', async () => {
      const other = forge(claimsOf(admin), { expiresIn: 600 }, randomBytes(32).toString('hex'));
      expectProblem(await me(other), 401, 'UNAUTHENTICATED');
    });

    it('GET /me refuses a token whose payload was edited under the original signature with 401', async () => {
      const [header, payload, signature] = admin.token.split('.');
      const edited = { ...decodePart(payload), role: 'operator', kind: 'platform' };
      expectProblem(await me(`${header}.${encodePart(edited)}.${signature}`), 401, 'UNAUTHENTICATED');
    });

    it('GET /me refuses an expired token with 401, also one expired a second ago', async () => {
      const now = Math.floor(Date.now() / 1000);
      const long = forge({ ...claimsOf(admin), iat: now - 1000, exp: now - 100 });
      expectProblem(await me(long), 401, 'UNAUTHENTICATED');
      const just = forge({ ...claimsOf(admin), iat: now - 900, exp: now - 1 });
      expectProblem(await me(just), 401, 'UNAUTHENTICATED');
      // the same claims with a future exp are accepted: the refusals above are about exp only
      expect((await me(forge({ ...claimsOf(admin), iat: now, exp: now + 60 }))).status).toBe(200);
    });

    it('GET /me refuses a token that is not yet valid (nbf in the future) with 401', async () => {
      const early = forge(claimsOf(admin), { expiresIn: 600, notBefore: 300 });
      expectProblem(await me(early), 401, 'UNAUTHENTICATED');
    });

    it('GET /me refuses a token with the wrong issuer or the wrong audience with 401', async () => {
      expectProblem(
        await me(forge(claimsOf(admin), { expiresIn: 600, issuer: 'evil' })),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await me(forge(claimsOf(admin), { expiresIn: 600, audience: 'other-api' })),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('GET /me refuses a token of another type and a refresh token used as access token with 401', async () => {
      const typed = forge({ ...claimsOf(admin), typ: 'refresh' }, { expiresIn: 600 });
      expectProblem(await me(typed), 401, 'UNAUTHENTICATED');
      expectProblem(await me(admin.refreshToken), 401, 'UNAUTHENTICATED');
    });

    it('GET /me does not accept a valid token passed as ?access_token= in the URL', async () => {
      const res = await t.http().get(`${ME}?access_token=${encodeURIComponent(admin.token)}`);
      expectProblem(res, 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /auth/refresh', () => {
    const refresh = (refreshToken: string) => t.http().post(REFRESH).send({ refreshToken });

    it('returns a new pair, and the presented refresh token no longer works', async () => {
      const admin = await registerOrganisation(t);
      const res = await refresh(admin.refreshToken);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
      });
      expect(res.body.refreshToken).not.toBe(admin.refreshToken);
      const me = await t.http().get(ME).set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(admin.userId);
      expectProblem(await refresh(admin.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    });

    it('revokes the whole family when a rotated token is reused', async () => {
      const admin = await registerOrganisation(t);
      const r1 = admin.refreshToken;
      const second = await refresh(r1);
      expect(second.status).toBe(200);
      const r2: string = second.body.refreshToken;
      const third = await refresh(r2);
      expect(third.status).toBe(200);
      const r3: string = third.body.refreshToken;

      expectProblem(await refresh(r1), 401, 'INVALID_REFRESH_TOKEN');
      // r3 was never used, yet it belongs to the family that was just revoked
      expectProblem(await refresh(r3), 401, 'INVALID_REFRESH_TOKEN');

      const { rows } = await t.db.query<{ revoked_reason: string | null }>(
        `SELECT s.revoked_reason FROM auth_sessions s JOIN refresh_tokens r ON r.session_id = s.id
          WHERE r.token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
        [r3],
      );
      expect(rows).toEqual([{ revoked_reason: 'refresh token reused' }]);
    });

    it('lets a family started by another login live on when one family is revoked', async () => {
      const admin = await registerOrganisation(t);
      const other = await login(t, admin.email, admin.password);
      const rotated = await refresh(admin.refreshToken);
      expect(rotated.status).toBe(200);
      expectProblem(await refresh(admin.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      expect((await refresh(other.refreshToken)).status).toBe(200);
    });

    it('answers 10 parallel refreshes with one token with exactly one 200; the rest are reuse and revoke the family', async () => {
      const admin = await registerOrganisation(t);
      const results = await Promise.all(Array.from({ length: 10 }, () => refresh(admin.refreshToken)));
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expectProblem(r, 401, 'INVALID_REFRESH_TOKEN');
      // the nine losers presented an already-rotated token, so even the winner's new one is dead
      expectProblem(await refresh(ok[0]!.body.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    });

    it('refuses an expired refresh token with 401', async () => {
      const admin = await registerOrganisation(t);
      await t.db.query(
        `UPDATE refresh_tokens SET expires_at = now() - interval '1 second'
          WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
        [admin.refreshToken],
      );
      expectProblem(await refresh(admin.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    });

    it('refuses an unknown token with 401 and a too short one with 400', async () => {
      expectProblem(await refresh(randomBytes(32).toString('base64url')), 401, 'INVALID_REFRESH_TOKEN');
      const short = await refresh('abc');
      expectProblem(short, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(short)).toContain('refreshToken');
    });
  });

  describe('POST /auth/logout', () => {
    it('answers 204 and revokes the refresh-token family', async () => {
      const admin = await registerOrganisation(t);
      const res = await t.http().post(LOGOUT).set('Authorization', `Bearer ${admin.token}`);
      expect(res.status).toBe(204);
      expectProblem(
        await t.http().post(REFRESH).send({ refreshToken: admin.refreshToken }),
        401,
        'INVALID_REFRESH_TOKEN',
      );
    });

    it('refuses a call without an access token with 401', async () => {
      expectProblem(await t.http().post(LOGOUT), 401, 'UNAUTHENTICATED');
    });
  });

  /** A 429 RATE_LIMITED whose Retry-After is a whole number of seconds within the 60 s window. */
  function expectRateLimited(res: Response): void {
    expectProblem(res, 429, 'RATE_LIMITED');
    const retryAfter = String(res.headers['retry-after']);
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  }

  describe('login rate limiting without TRUST_PROXY (3 failures per account and address, 8 per IP, 60 s window)', () => {
    // The tests of this block share the app's per-IP counter of logins (every request comes from
    // 127.0.0.1, whatever X-Forwarded-For says) and run in order: the first uses 4 of its 8.
    let r: TestApp;
    const accounts: Actor[] = [];

    beforeAll(async () => {
      r = await startApp({
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '3',
        LOGIN_RATE_LIMIT_PER_IP: '8',
        LOGIN_RATE_LIMIT_WINDOW_SECONDS: '60',
      });
      for (let i = 0; i < 4; i++) accounts.push(await registerOrganisation(r));
    });
    afterAll(() => r.close());

    const attempt = (a: Actor, password: string, forwardedFor: string) =>
      r.http().post(LOGIN).set('X-Forwarded-For', forwardedFor).send({ email: a.email, password });

    it('takes 3 failures from "different" forwarded addresses as one address: the 4th attempt is refused, even with the right password', async () => {
      const [a] = accounts;
      for (let i = 1; i <= 3; i++)
        expectProblem(await attempt(a!, 'wrong-password-x', `203.0.113.${i}`), 401);
      expectRateLimited(await attempt(a!, a!.password, '198.51.100.7'));
    });

    it('lets other accounts from the same IP sign in until the IP limit, whatever X-Forwarded-For says', async () => {
      const [, b, c, d] = accounts;
      // IP attempts 5..8: two accounts, each under its own limit of 3
      for (const [who, xff] of [
        [b, '203.0.113.10'],
        [b, '203.0.113.11'],
        [c, '203.0.113.12'],
        [c, '203.0.113.13'],
      ] as const) {
        expect((await attempt(who!, who!.password, xff)).status).toBe(200);
      }
      // IP attempt 9: a fresh account with the right password, from a "new" forwarded address
      expectRateLimited(await attempt(d!, d!.password, '192.0.2.99'));
      expectRateLimited(await attempt(d!, d!.password, '10.1.2.3, 192.0.2.100'));
    });
  });

  describe('login rate limiting behind a trusted proxy (3 failures per account and address, 6 per account, 8 per IP, 60 s window)', () => {
    // TRUST_PROXY=127.0.0.1: the test client is the proxy, and X-Forwarded-For names the client.
    // Every test uses addresses of its own, so their per-address budgets do not meet.
    let r: TestApp;
    let next = 0;
    const address = (): string => `10.0.${Math.floor(next / 250)}.${(next++ % 250) + 1}`;

    beforeAll(async () => {
      r = await startApp({
        TRUST_PROXY: '127.0.0.1',
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '3',
        LOGIN_RATE_LIMIT_ACCOUNT_CEILING: '6',
        LOGIN_RATE_LIMIT_PER_IP: '8',
        LOGIN_RATE_LIMIT_WINDOW_SECONDS: '60',
      });
    });
    afterAll(() => r.close());

    /** Registers an organisation from an address of its own; its admin, signed in. */
    async function owner(): Promise<Actor> {
      const body = registerBody();
      const res = await r.http().post(REGISTER).set('X-Forwarded-For', address()).send(body);
      expect(res.status).toBe(201);
      return {
        token: res.body.accessToken,
        refreshToken: res.body.refreshToken,
        userId: res.body.user.id,
        organisationId: res.body.organisation.id,
        email: body.user.email,
        password: body.user.password,
      };
    }

    const attempt = (email: string, password: string, from: string) =>
      r.http().post(LOGIN).set('X-Forwarded-For', from).send({ email, password });

    const attackNotices = async (userId: string | null): Promise<number> => {
      const { rows } = await r.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE type = 'account.login_attack'
            AND ($1::text IS NULL OR payload->'recipients'->>'accountHolder' = $1)`,
        [userId],
      );
      return rows[0]!.n;
    };

    it('refuses an address after 3 failures for an account, even with the right password, while the owner signs in from another', async () => {
      const victim = await owner();
      const other = await owner();
      const attacker = address();
      for (let i = 0; i < 3; i++) {
        expectProblem(await attempt(victim.email, 'wrong-password-x', attacker), 401, 'INVALID_CREDENTIALS');
      }
      expectRateLimited(await attempt(victim.email, victim.password, attacker));

      const signedIn = await attempt(victim.email, victim.password, address());
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user.id).toBe(victim.userId);
      // the owner's success does not free the attacker's address, which is refused for this
      // account only
      expectRateLimited(await attempt(victim.email.toUpperCase(), 'wrong-password-x', attacker));
      expect((await attempt(other.email, other.password, attacker)).status).toBe(200);
    });

    it('counts failures for an unknown e-mail like those for a known one, and e-mails nobody', async () => {
      const nobody = uniqueEmail('nobody');
      const before = await attackNotices(null);
      const attacker = address();
      for (let i = 0; i < 3; i++) expectProblem(await attempt(nobody, 'wrong-password-x', attacker), 401);
      expectRateLimited(await attempt(nobody, 'wrong-password-x', attacker));
      // past the ceiling of 6 as well: refused like a known account, and nobody to tell
      for (let i = 0; i < 3; i++) expectProblem(await attempt(nobody, 'wrong-password-x', address()), 401);
      const failedOnce = address();
      expectProblem(await attempt(nobody, 'wrong-password-x', failedOnce), 401);
      expectRateLimited(await attempt(nobody, 'wrong-password-x', failedOnce));
      expect(await attackNotices(null)).toBe(before);
    });

    it('starts an address over after the right password', async () => {
      const a = await owner();
      const from = address();
      for (let i = 0; i < 2; i++) expectProblem(await attempt(a.email, 'wrong-password-x', from), 401);
      expect((await attempt(a.email, a.password, from)).status).toBe(200);
      for (let i = 0; i < 3; i++) expectProblem(await attempt(a.email, 'wrong-password-x', from), 401);
      expectRateLimited(await attempt(a.email, a.password, from));
    });

    it('checks only 3 of 6 parallel wrong passwords from one address and refuses the rest', async () => {
      const a = await owner();
      const from = address();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => attempt(a.email, 'wrong-password-x', from)),
      );
      expect(results.map((res) => res.status).sort()).toEqual([401, 401, 401, 429, 429, 429]);
      for (const res of results.filter((x) => x.status === 429)) expectRateLimited(res);
    });

    it('past 6 failures of an account refuses the addresses that failed, lets a fresh address in and e-mails the owner once, whatever their e-mail settings', async () => {
      const victim = await owner();
      const muted = await r
        .http()
        .patch(ME)
        .set('Authorization', `Bearer ${victim.token}`)
        .send({ emailNotifications: false });
      expect(muted.status).toBe(200);

      const attackers = Array.from({ length: 6 }, address);
      for (const from of attackers) {
        expectProblem(await attempt(victim.email, 'Guess-123456', from), 401, 'INVALID_CREDENTIALS');
      }
      // each attacker failed once, under its own limit of 3, but the account is past its ceiling
      expectRateLimited(await attempt(victim.email, victim.password, attackers[0]!));
      expectRateLimited(await attempt(victim.email, 'Guess-123456', attackers[5]!));

      const fresh = await attempt(victim.email, victim.password, address());
      expect(fresh.status).toBe(200);
      expect(fresh.body.user.id).toBe(victim.userId);
      // a fresh address gets its guess, then it has failed and is refused too
      const late = address();
      expectProblem(await attempt(victim.email, 'Guess-123456', late), 401);
      expectRateLimited(await attempt(victim.email, victim.password, late));

      const mails = await eventually(async () => {
        const found = await mailsTo(r, victim.email);
        return found.length > 0 && found;
      });
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail!.subject).toBe('Failed sign-in attempts on your Efir account');
      expect(mail!.text).toContain(
        'Failed attempts in the last 1 min: 6; network addresses they came from: 6.',
      );
      for (const secret of ['Guess-123456', victim.password, ...attackers]) {
        expect(`${mail!.subject}\n${mail!.text}\n${String(mail!.html)}`).not.toContain(secret);
      }
      // the notice is in-app too, and it was written once however many failures followed
      const inApp = await r
        .http()
        .get('/api/v1/notifications')
        .set('Authorization', `Bearer ${fresh.body.accessToken}`);
      expect(
        (inApp.body.items as { type: string; data: unknown }[]).filter(
          (n) => n.type === 'account.login_attack',
        ),
      ).toEqual([expect.objectContaining({ data: { failures: 6, addresses: 6, windowMinutes: 1 } })]);
      expect(await attackNotices(victim.userId)).toBe(1);
    });

    it('cannot lock the operator out from a fresh address', async () => {
      const locked = address();
      for (let i = 0; i < 3; i++)
        expectProblem(await attempt(OPERATOR.email, 'wrong-password-x', locked), 401);
      for (let i = 0; i < 3; i++)
        expectProblem(await attempt(OPERATOR.email, 'wrong-password-x', address()), 401);
      expectRateLimited(await attempt(OPERATOR.email, OPERATOR.password, locked));

      const res = await attempt(OPERATOR.email, OPERATOR.password, address());
      expect(res.status).toBe(200);
      expect(res.body.user.role).toBe('operator');
    });

    it('gives each client behind the proxy a login budget of its own', async () => {
      const a = await owner();
      const busy = address();
      for (let i = 0; i < 8; i++) expect((await attempt(a.email, a.password, busy)).status).toBe(200);
      expectRateLimited(await attempt(a.email, a.password, busy));
      expect((await attempt(a.email, a.password, address())).status).toBe(200);
      // X-Forwarded-For from an untrusted hop is not believed: only the last hop is the client
      expectRateLimited(await attempt(a.email, a.password, `${address()}, ${busy}`));
    });

    it('does not limit token refresh per address', async () => {
      const a = await owner();
      const from = address();
      let token = a.refreshToken;
      for (let i = 0; i < 12; i++) {
        const res = await r.http().post(REFRESH).set('X-Forwarded-For', from).send({ refreshToken: token });
        expect(res.status).toBe(200);
        token = res.body.refreshToken;
      }
      // nor from the proxy's own address, which every refresh would share without TRUST_PROXY
      for (let i = 0; i < 12; i++) {
        const res = await r.http().post(REFRESH).send({ refreshToken: token });
        expect(res.status).toBe(200);
        token = res.body.refreshToken;
      }
    });
  });

  describe('login rate limiting while Redis is unreachable', () => {
    let proxy: TcpProxy;
    let d: TestApp;
    let admin: Actor;

    beforeAll(async () => {
      const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
      await proxy.open();
      d = await startApp({
        REDIS_URL: proxy.url('redis'),
        RUN_WORKER: 'false',
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '2',
      });
      admin = await registerOrganisation(d);
      await proxy.cut();
    });
    afterAll(async () => {
      // let the app's Redis clients reconnect first, so none is left retrying after the close
      await proxy.open();
      await eventually(async () => (await redisState(d)) === 'up');
      await d.close();
      await proxy.cut();
    });

    const redisState = async (app: TestApp): Promise<string> =>
      (await app.http().get('/api/v1/health/ready')).body.redis;

    it('still signs in with the right password and still refuses an address over the limit', async () => {
      await eventually(async () => (await redisState(d)) === 'down');
      const send = (password: string) => d.http().post(LOGIN).send({ email: admin.email, password });
      const first = await send(admin.password);
      expect(first.status).toBe(200);
      expect(first.body.user.id).toBe(admin.userId);
      expect((await send(admin.password)).status).toBe(200);
      for (let i = 0; i < 2; i++) expectProblem(await send('wrong-password-x'), 401, 'INVALID_CREDENTIALS');
      const refused = await send(admin.password);
      expectProblem(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
