import { randomUUID } from 'node:crypto';
import {
  addMember,
  bearer,
  login,
  loginOperator,
  registerOrganisation,
  uniqueEmail,
  type Actor,
  type Notification,
} from '../factories';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { notificationsAbout, waitForNotification } from '../utils/notifications';
import { mailsTo } from '../utils/mail';

const PASSWORD = 'member-password-123';
const MEMBER_KEYS = ['createdAt', 'email', 'fullName', 'id', 'role'];
const ORGANISATION_KEYS = [
  'bin',
  'country',
  'createdAt',
  'genres',
  'id',
  'kind',
  'name',
  'publicBody',
  'vatRate',
  'verified',
  'verifiedAt',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Member {
  id: string;
  email: string;
  fullName: string;
  role: string;
  createdAt: string;
}

describe('Organisations', () => {
  let t: TestApp;
  let operator: Actor;
  let broadcaster: Actor; // admin
  let commissioner: Actor;
  let bFinance: Actor;
  let studio: Actor; // admin
  let producer: Actor;
  let sFinance: Actor;
  let otherAdmin: Actor; // admin of another broadcaster

  const members = (orgId: string, who?: Actor, query: Record<string, string | number> = {}) => {
    const req = t.http().get(`${API}/organisations/${orgId}/members`).query(query);
    return who ? req.set(...bearer(who)) : req;
  };
  const newMember = (role: string, extra: Record<string, unknown> = {}) => ({
    email: uniqueEmail(role),
    password: PASSWORD,
    fullName: `New ${role}`,
    role,
    ...extra,
  });
  const postMember = (orgId: string, who: Actor | null, body: Record<string, unknown>) => {
    const req = t.http().post(`${API}/organisations/${orgId}/members`).send(body);
    return who ? req.set(...bearer(who)) : req;
  };
  const userCount = async (email: string): Promise<number> =>
    (await t.db.query('SELECT 1 FROM users WHERE email = $1', [email.toLowerCase()])).rowCount ?? 0;

  beforeAll(async () => {
    t = await startApp({ LOGIN_RATE_LIMIT_PER_IP: '1000' });
    [operator, broadcaster, studio, otherAdmin] = await Promise.all([
      loginOperator(t),
      registerOrganisation(t, { kind: 'broadcaster' }),
      registerOrganisation(t, { kind: 'studio' }),
      registerOrganisation(t, { kind: 'broadcaster' }),
    ]);
    [commissioner, bFinance, producer, sFinance] = await Promise.all([
      addMember(t, broadcaster, 'commissioner'),
      addMember(t, broadcaster, 'finance'),
      addMember(t, studio, 'producer'),
      addMember(t, studio, 'finance'),
    ]);
  });
  afterAll(() => t.close());

  describe('POST /organisations/{id}/members', () => {
    it('lets a broadcaster admin add a commissioner and a finance member who can then sign in', async () => {
      for (const role of ['commissioner', 'finance']) {
        const body = newMember(role, { email: uniqueEmail(role).toUpperCase() });
        const res = await postMember(broadcaster.organisationId, broadcaster, body);
        expect(res.status).toBe(201);
        expect(Object.keys(res.body).sort()).toEqual(MEMBER_KEYS);
        expect(res.body).toMatchObject({
          email: body.email.toLowerCase(),
          fullName: body.fullName,
          role,
        });
        expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.body.createdAt).toMatch(ISO);
        expect(JSON.stringify(res.body)).not.toMatch(/password|hash|argon/i);
        const member = await login(t, body.email, PASSWORD);
        expect(member.userId).toBe(res.body.id);
        expect(member.organisationId).toBe(broadcaster.organisationId);
        const me = await t
          .http()
          .get(`${API}/me`)
          .set(...bearer(member));
        expect(me.body).toMatchObject({ role, organisation: { id: broadcaster.organisationId } });
      }
    });

    it('lets a studio admin add a producer and a finance member', async () => {
      for (const role of ['producer', 'finance']) {
        const body = newMember(role);
        const res = await postMember(studio.organisationId, studio, body);
        expect(res.status).toBe(201);
        expect(Object.keys(res.body).sort()).toEqual(MEMBER_KEYS);
        expect(res.body.role).toBe(role);
        await expect(login(t, body.email, PASSWORD)).resolves.toMatchObject({
          organisationId: studio.organisationId,
        });
      }
    });

    it('refuses a role that the kind of organisation does not have with ROLE_NOT_ALLOWED', async () => {
      const forStudio = newMember('commissioner');
      expectProblem(await postMember(studio.organisationId, studio, forStudio), 422, 'ROLE_NOT_ALLOWED');
      const forBroadcaster = newMember('producer');
      expectProblem(
        await postMember(broadcaster.organisationId, broadcaster, forBroadcaster),
        422,
        'ROLE_NOT_ALLOWED',
      );
      expect(await userCount(forStudio.email)).toBe(0);
      expect(await userCount(forBroadcaster.email)).toBe(0);
    });

    it('never hands out the operator role', async () => {
      const body = newMember('operator');
      expectProblem(await postMember(studio.organisationId, studio, body), 400, 'VALIDATION_FAILED');
      expect(await userCount(body.email)).toBe(0);
    });

    it('forbids members of the same organisation who are not admins', async () => {
      for (const [who, orgId] of [
        [commissioner, broadcaster.organisationId],
        [bFinance, broadcaster.organisationId],
        [producer, studio.organisationId],
        [sFinance, studio.organisationId],
      ] as const) {
        const body = newMember('finance');
        expectProblem(await postMember(orgId, who, body), 403, 'FORBIDDEN');
        expect(await userCount(body.email)).toBe(0);
      }
    });

    it("hides the organisation from another organisation's admin", async () => {
      const body = newMember('commissioner');
      expectProblem(await postMember(broadcaster.organisationId, otherAdmin, body), 404, 'NOT_FOUND');
      expect(await userCount(body.email)).toBe(0);
    });

    it('forbids the operator', async () => {
      expectProblem(
        await postMember(studio.organisationId, operator, newMember('producer')),
        403,
        'FORBIDDEN',
      );
    });

    it('requires a token', async () => {
      expectProblem(
        await postMember(studio.organisationId, null, newMember('producer')),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('refuses an e-mail that is already taken, in any letter case, with EMAIL_TAKEN', async () => {
      expectProblem(
        await postMember(studio.organisationId, studio, newMember('producer', { email: producer.email })),
        409,
        'EMAIL_TAKEN',
      );
      expectProblem(
        await postMember(
          broadcaster.organisationId,
          broadcaster,
          newMember('finance', { email: studio.email.toUpperCase() }),
        ),
        409,
        'EMAIL_TAKEN',
      );
      // the existing account is untouched
      await expect(login(t, producer.email, producer.password)).resolves.toMatchObject({
        userId: producer.userId,
      });
    });

    it('rejects unknown fields', async () => {
      const body = newMember('producer', { isSuperuser: true });
      const res = await postMember(studio.organisationId, studio, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).toContain('isSuperuser');
      expect(await userCount(body.email)).toBe(0);
    });

    it('rejects an organisation id that is not a UUID', async () => {
      expectProblem(await postMember('not-a-uuid', studio, newMember('producer')), 400, 'VALIDATION_FAILED');
    });

    it('invites the new member in-app and with exactly one e-mail', async () => {
      const body = newMember('producer');
      const res = await postMember(studio.organisationId, studio, body);
      expect(res.status).toBe(201);
      const member = await login(t, body.email, PASSWORD);

      const invitation = await waitForNotification(t, member, 'member.invited');
      expect(invitation).toMatchObject({
        readAt: null,
        data: { role: 'producer', email: body.email.toLowerCase() },
      });
      expect(invitation.title.length).toBeGreaterThan(0);

      const mails = await eventually(async () => {
        const found = await mailsTo(t, body.email);
        return found.length > 0 && found;
      });
      // the mail job has finished for this member: nothing else is on its way
      await eventually(async () => {
        const { rows } = await t.db.query<{ pending: number }>(
          `SELECT count(*)::int AS pending FROM outgoing_mail WHERE user_id = $1 AND sent_at IS NULL`,
          [member.userId],
        );
        return rows[0]!.pending === 0;
      });
      expect(mails).toHaveLength(1);
      expect(await mailsTo(t, body.email)).toHaveLength(1);
      // the admin who added them is not told about their own action
      expect(
        await notificationsAbout(t, studio, 'member.invited', { email: body.email.toLowerCase() }),
      ).toEqual([]);
    });
  });

  describe('GET /organisations/{id}/members', () => {
    it('lists the members to every member of the organisation, whatever their role', async () => {
      for (const who of [broadcaster, commissioner, bFinance]) {
        const res = await members(broadcaster.organisationId, who, { limit: 100 });
        expect(res.status).toBe(200);
        expect(res.body.nextCursor).toBeNull();
        const items = res.body.items as Member[];
        const ids = items.map((m) => m.id);
        expect(ids).toEqual(
          expect.arrayContaining([broadcaster.userId, commissioner.userId, bFinance.userId]),
        );
        for (const m of items) expect(Object.keys(m).sort()).toEqual(MEMBER_KEYS);
        // newest first
        const times = items.map((m) => Date.parse(m.createdAt));
        expect([...times].sort((a, b) => b - a)).toEqual(times);
        // nobody from another organisation
        expect(ids).not.toContain(otherAdmin.userId);
        expect(ids).not.toContain(producer.userId);
      }
      const studioList = await members(studio.organisationId, producer);
      expect(studioList.status).toBe(200);
      expect((studioList.body.items as Member[]).map((m) => m.id)).toEqual(
        expect.arrayContaining([studio.userId, producer.userId, sFinance.userId]),
      );
    });

    it('hides the members from other organisations', async () => {
      expectProblem(await members(broadcaster.organisationId, otherAdmin), 404, 'NOT_FOUND');
      expectProblem(await members(broadcaster.organisationId, producer), 404, 'NOT_FOUND');
      expectProblem(await members(randomUUID(), broadcaster), 404, 'NOT_FOUND');
    });

    it('shows them to the operator', async () => {
      const res = await members(studio.organisationId, operator, { limit: 100 });
      expect(res.status).toBe(200);
      expect((res.body.items as Member[]).map((m) => m.id)).toEqual(
        expect.arrayContaining([studio.userId, producer.userId, sFinance.userId]),
      );
      expectProblem(await members(randomUUID(), operator), 404, 'NOT_FOUND');
    });

    it('requires a token', async () => {
      expectProblem(await members(studio.organisationId), 401, 'UNAUTHENTICATED');
    });

    it('rejects a limit outside 1..100 or not a number', async () => {
      for (const limit of ['0', '101', 'abc', '-1', '2.5']) {
        expectProblem(await members(studio.organisationId, studio, { limit }), 400, 'VALIDATION_FAILED');
      }
    });

    it('rejects a cursor it did not issue', async () => {
      expectProblem(
        await members(studio.organisationId, studio, { cursor: 'garbage' }),
        400,
        'INVALID_CURSOR',
      );
      const forged = (s: string): string => Buffer.from(s).toString('base64url');
      for (const cursor of [
        forged(`2024-01-01T00:00:00.000000Z|${randomUUID()}|extra`),
        forged('2024-01-01T00:00:00.000000Z|'),
        forged(`yesterday|${randomUUID()}`),
        // the right shape, but no such time
        forged(`2024-13-45T99:99:99.000000Z|${randomUUID()}`),
        forged(`2023-02-29T12:00:00.000000Z|${randomUUID()}`),
      ]) {
        expectProblem(await members(studio.organisationId, studio, { cursor }), 400, 'INVALID_CURSOR');
      }
      // a sequence number where a user id belongs: refused, never a 500
      expectProblem(
        await members(studio.organisationId, studio, { cursor: forged('2024-01-01T00:00:00.000000Z|12345') }),
        400,
      );
    });

    it('pages through five members two at a time with no repeats or gaps', async () => {
      const admin = await registerOrganisation(t, { kind: 'studio' });
      for (const role of ['producer', 'producer', 'finance', 'admin']) {
        const res = await postMember(admin.organisationId, admin, newMember(role));
        expect(res.status).toBe(201);
      }
      const expected = (
        await t.db.query<{ id: string }>(
          'SELECT id FROM users WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC',
          [admin.organisationId],
        )
      ).rows.map((r) => r.id);
      expect(expected).toHaveLength(5);

      const pageAll = async (): Promise<{ ids: string[]; sizes: number[] }> => {
        const ids: string[] = [];
        const sizes: number[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 10; i++) {
          const res = await members(admin.organisationId, admin, {
            limit: 2,
            ...(cursor ? { cursor } : {}),
          });
          expect(res.status).toBe(200);
          ids.push(...(res.body.items as Member[]).map((m) => m.id));
          sizes.push(res.body.items.length);
          cursor = res.body.nextCursor as string | null;
          if (cursor === null) break;
        }
        expect(cursor).toBeNull();
        return { ids, sizes };
      };

      const first = await pageAll();
      expect(first.sizes).toEqual([2, 2, 1]);
      expect(first.ids).toEqual(expected);

      // the same again when every member was created in the same microsecond: ties break by id
      await t.db.query(
        `UPDATE users SET created_at = date_trunc('second', now()) WHERE organisation_id = $1`,
        [admin.organisationId],
      );
      const tied = await pageAll();
      expect(tied.sizes).toEqual([2, 2, 1]);
      expect(new Set(tied.ids).size).toBe(5);
      expect([...tied.ids].sort()).toEqual([...expected].sort());
      expect(tied.ids).toEqual([...expected].sort().reverse());
    });
  });

  describe('GET /organisations/{id}', () => {
    it('shows the organisation to its members and the operator', async () => {
      for (const who of [broadcaster, commissioner, bFinance, operator]) {
        const res = await t
          .http()
          .get(`${API}/organisations/${broadcaster.organisationId}`)
          .set(...bearer(who));
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(ORGANISATION_KEYS);
        expect(res.body).toMatchObject({
          id: broadcaster.organisationId,
          kind: 'broadcaster',
          country: 'KZ',
        });
      }
    });

    it('answers 404 to everyone else, as for an organisation that does not exist', async () => {
      for (const who of [otherAdmin, producer, studio]) {
        expectProblem(
          await t
            .http()
            .get(`${API}/organisations/${broadcaster.organisationId}`)
            .set(...bearer(who)),
          404,
          'NOT_FOUND',
        );
      }
      expectProblem(
        await t
          .http()
          .get(`${API}/organisations/${randomUUID()}`)
          .set(...bearer(operator)),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await t
          .http()
          .get(`${API}/organisations/${broadcaster.organisationId}`)
          .set('Authorization', 'Bearer not-a-token'),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('PATCH /organisations/{id}', () => {
    const patch = (orgId: string, who: Actor, body: Record<string, unknown>) =>
      t
        .http()
        .patch(`${API}/organisations/${orgId}`)
        .set(...bearer(who))
        .send(body);
    const getOrg = async (orgId: string, who: Actor): Promise<Record<string, unknown>> =>
      (
        await t
          .http()
          .get(`${API}/organisations/${orgId}`)
          .set(...bearer(who))
      ).body as Record<string, unknown>;

    it('lets the admin change the name, genres, VAT rate and public-body flag', async () => {
      const res = await patch(broadcaster.organisationId, broadcaster, {
        name: '  Qazaq Channel  ',
        genres: ['Drama', ' COMEDY ', 'drama', 'Документалистика'],
        vatRate: 12.5,
        publicBody: true,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: broadcaster.organisationId,
        name: 'Qazaq Channel',
        genres: ['drama', 'comedy', 'документалистика'],
        vatRate: 12.5,
        publicBody: true,
      });
      expect(typeof res.body.vatRate).toBe('number');
      expect(await getOrg(broadcaster.organisationId, commissioner)).toEqual(res.body);

      // vatRate null clears it; omitted fields stay as they are
      const cleared = await patch(broadcaster.organisationId, broadcaster, { vatRate: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ vatRate: null, name: 'Qazaq Channel', publicBody: true });
      expect((await patch(broadcaster.organisationId, broadcaster, { vatRate: 12 })).body.vatRate).toBe(12);
    });

    it('refuses vatRate and publicBody on a studio with NOT_A_BROADCASTER and changes nothing', async () => {
      const before = await getOrg(studio.organisationId, studio);
      expectProblem(
        await patch(studio.organisationId, studio, { name: 'Renamed studio', vatRate: 12 }),
        422,
        'NOT_A_BROADCASTER',
      );
      expectProblem(
        await patch(studio.organisationId, studio, { genres: ['drama'], publicBody: true }),
        422,
        'NOT_A_BROADCASTER',
      );
      expectProblem(await patch(studio.organisationId, studio, { vatRate: null }), 422, 'NOT_A_BROADCASTER');
      expect(await getOrg(studio.organisationId, studio)).toEqual(before);
      const { rows } = await t.db.query(
        `SELECT 1 FROM audit_events WHERE entity_id = $1 AND action = 'organisation.updated'`,
        [studio.organisationId],
      );
      expect(rows).toHaveLength(0);
    });

    it('rejects a VAT rate above 100, below 0 or with more than two decimals', async () => {
      const before = await getOrg(otherAdmin.organisationId, otherAdmin);
      for (const vatRate of [101, 100.01, -1, 12.345, '12']) {
        expectProblem(
          await patch(otherAdmin.organisationId, otherAdmin, { vatRate }),
          400,
          'VALIDATION_FAILED',
        );
      }
      expectProblem(
        await patch(otherAdmin.organisationId, otherAdmin, { genres: ['drama; DROP'] }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await patch(otherAdmin.organisationId, otherAdmin, { kind: 'studio' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(await getOrg(otherAdmin.organisationId, otherAdmin)).toEqual(before);
      const edge = await patch(otherAdmin.organisationId, otherAdmin, { vatRate: 100 });
      expect(edge.status).toBe(200);
      expect(edge.body.vatRate).toBe(100);
    });

    it('forbids a commissioner and hides the organisation from another admin', async () => {
      expectProblem(
        await patch(broadcaster.organisationId, commissioner, { name: 'Mine now' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await patch(broadcaster.organisationId, otherAdmin, { name: 'Mine now' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await patch(broadcaster.organisationId, operator, { name: 'Mine now' }),
        403,
        'FORBIDDEN',
      );
      expect((await getOrg(broadcaster.organisationId, broadcaster)).name).not.toBe('Mine now');
    });

    it('records the change in the audit log with before and after', async () => {
      const admin = await registerOrganisation(t, { kind: 'broadcaster', name: 'Before Name' });
      const res = await patch(admin.organisationId, admin, {
        name: 'After Name',
        vatRate: 12.5,
        publicBody: true,
      });
      expect(res.status).toBe(200);
      const audit = await t
        .http()
        .get(`${API}/audit`)
        .query({ entityType: 'organisation', entityId: admin.organisationId })
        .set(...bearer(admin));
      expect(audit.status).toBe(200);
      const updated = (
        audit.body.items as { action: string; actorId: string; before: unknown; after: unknown }[]
      ).filter((e) => e.action === 'organisation.updated');
      expect(updated).toHaveLength(1);
      expect(updated[0]).toMatchObject({
        actorId: admin.userId,
        before: { name: 'Before Name', vatRate: null, publicBody: false },
        after: { name: 'After Name', vatRate: 12.5, publicBody: true },
      });
    });
  });

  describe('POST /organisations/{id}/verify', () => {
    const verify = (orgId: string, who: Actor) =>
      t
        .http()
        .post(`${API}/organisations/${orgId}/verify`)
        .set(...bearer(who));

    it('lets the operator verify a studio, once', async () => {
      const admin = await registerOrganisation(t, { kind: 'studio' });
      const first = await verify(admin.organisationId, operator);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: admin.organisationId, verified: true });
      expect(first.body.verifiedAt).toMatch(ISO);

      const second = await verify(admin.organisationId, operator);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);

      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'organisation.verified'`,
        [admin.organisationId],
      );
      expect(rows[0]!.n).toBe(1);
    });

    it('forbids everyone but the operator', async () => {
      const admin = await registerOrganisation(t, { kind: 'studio' });
      expectProblem(await verify(admin.organisationId, admin), 403, 'FORBIDDEN');
      expectProblem(await verify(admin.organisationId, broadcaster), 403, 'FORBIDDEN');
      const res = await t
        .http()
        .get(`${API}/organisations/${admin.organisationId}`)
        .set(...bearer(admin));
      expect(res.body).toMatchObject({ verified: false, verifiedAt: null });
    });

    it('refuses to verify the platform organisation', async () => {
      expectProblem(await verify(operator.organisationId, operator), 422, 'CANNOT_VERIFY_PLATFORM');
    });

    it('answers 404 for an organisation that does not exist', async () => {
      expectProblem(await verify(randomUUID(), operator), 404, 'NOT_FOUND');
      expectProblem(await verify('nope', operator), 400, 'VALIDATION_FAILED');
    });

    it("tells the studio's admins, and only them, that it is verified", async () => {
      const admin = await registerOrganisation(t, { kind: 'studio', name: 'Verified Films' });
      const [secondAdmin, member] = await Promise.all([
        addMember(t, admin, 'admin'),
        addMember(t, admin, 'producer'),
      ]);
      expect((await verify(admin.organisationId, operator)).status).toBe(200);
      expect((await verify(admin.organisationId, operator)).status).toBe(200);

      const verifiedFor = (who: Actor): Promise<Notification[]> =>
        notificationsAbout(t, who, 'organisation.verified');
      for (const who of [admin, secondAdmin]) {
        const found = await eventually(async () => {
          const list = await verifiedFor(who);
          return list.length > 0 && list;
        });
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({
          title: 'Verified Films is verified',
          data: { organisationId: admin.organisationId, organisationName: 'Verified Films' },
        });
      }
      // the event is handled by now (both admins have theirs); the producer got nothing
      await eventually(async () => {
        const { rows } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE type = 'organisation.verified' AND handled_at IS NULL`,
        );
        return rows[0]!.n === 0;
      });
      expect(await verifiedFor(member)).toEqual([]);
    });
  });

  describe('Operator bootstrap', () => {
    it('creates the operator in the platform organisation at start', async () => {
      const me = await t
        .http()
        .get(`${API}/me`)
        .set(...bearer(operator));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        email: 'operator@efir.test',
        role: 'operator',
        organisation: { id: operator.organisationId, kind: 'platform' },
      });
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM organisations WHERE kind = 'platform'`,
      );
      expect(rows[0]!.n).toBe(1);
    });
  });
});
