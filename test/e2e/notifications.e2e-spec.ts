import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
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
import { briefBody, publishBrief } from '../factories/commissioning';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { mailsTo } from '../utils/mail';

const NOTIFICATION_KEYS = ['createdAt', 'data', 'id', 'readAt', 'title', 'type'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Notifications', () => {
  let t: TestApp;

  const list = (who: Actor | null, query: Record<string, string | number> = {}) => {
    const req = t.http().get(`${API}/notifications`).query(query);
    return who ? req.set(...bearer(who)) : req;
  };
  const markRead = (who: Actor | null, id: string) => {
    const req = t.http().post(`${API}/notifications/${id}/read`);
    return who ? req.set(...bearer(who)) : req;
  };
  const itemsOf = (res: Response): Notification[] => res.body.items as Notification[];

  beforeAll(async () => {
    t = await startApp({ LOGIN_RATE_LIMIT_PER_IP: '1000' });
  });
  afterAll(() => t.close());

  describe('GET /notifications', () => {
    let admin: Actor; // registered, then told the studio is verified
    let secondAdmin: Actor; // invited, then told the studio is verified
    let outsider: Actor;

    beforeAll(async () => {
      [admin, outsider] = await Promise.all([
        registerOrganisation(t, { kind: 'studio', name: 'Steppe Pictures' }),
        registerOrganisation(t, { kind: 'broadcaster' }),
      ]);
      secondAdmin = await addMember(t, admin, 'admin');
      // the invitation first, so the two notifications are in a known order
      await eventually(async () => itemsOf(await list(secondAdmin)).length === 1);
      const operator = await loginOperator(t);
      const verified = await t
        .http()
        .post(`${API}/organisations/${admin.organisationId}/verify`)
        .set(...bearer(operator));
      expect(verified.status).toBe(200);
      await eventually(async () => itemsOf(await list(secondAdmin)).length === 2);
      await eventually(async () => itemsOf(await list(admin)).length === 1);
    });

    it("lists only the caller's own notifications, newest first", async () => {
      const res = await list(secondAdmin);
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      const items = itemsOf(res);
      expect(items.map((n) => n.type)).toEqual(['organisation.verified', 'member.invited']);
      for (const n of items) {
        expect(Object.keys(n).sort()).toEqual(NOTIFICATION_KEYS);
        expect(n.createdAt).toMatch(ISO);
        expect(n.readAt).toBeNull();
      }
      expect(Date.parse(items[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(items[1]!.createdAt));
      expect(items[0]).toMatchObject({
        title: 'Steppe Pictures is verified',
        data: { organisationId: admin.organisationId, organisationName: 'Steppe Pictures' },
      });
      expect(items[1]).toMatchObject({
        title: 'You have been added to Steppe Pictures',
        data: { organisationName: 'Steppe Pictures', role: 'admin', email: secondAdmin.email },
      });

      const own = itemsOf(await list(admin));
      expect(own.map((n) => n.type)).toEqual(['organisation.verified']);
      expect(own[0]!.id).not.toBe(items[0]!.id);
      expect(itemsOf(await list(outsider))).toEqual([]);

      // matches what the database holds for this user, and nothing of anyone else
      const { rows } = await t.db.query<{ id: string }>(
        'SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC',
        [secondAdmin.userId],
      );
      expect(items.map((n) => n.id)).toEqual(rows.map((r) => r.id));
    });

    it('filters unread ones with unread=true', async () => {
      const all = itemsOf(await list(admin));
      const invited = itemsOf(await list(secondAdmin)).find((n) => n.type === 'member.invited')!;
      expect((await markRead(secondAdmin, invited.id)).status).toBe(200);

      const unread = await list(secondAdmin, { unread: 'true' });
      expect(unread.status).toBe(200);
      expect(itemsOf(unread).map((n) => n.type)).toEqual(['organisation.verified']);
      expect(itemsOf(unread).every((n) => n.readAt === null)).toBe(true);

      const everything = await list(secondAdmin, { unread: 'false' });
      expect(itemsOf(everything)).toHaveLength(2);
      expect(itemsOf(everything).find((n) => n.id === invited.id)!.readAt).toMatch(ISO);
      // another user's read state is their own
      expect(itemsOf(await list(admin, { unread: 'true' }))).toEqual(all);

      expectProblem(await list(secondAdmin, { unread: 'yes' }), 400, 'VALIDATION_FAILED');
    });

    it('requires a token', async () => {
      expectProblem(await list(null), 401, 'UNAUTHENTICATED');
    });

    it('rejects a limit outside 1..100, a foreign query field and a garbage cursor', async () => {
      for (const limit of ['0', '101', 'abc']) {
        expectProblem(await list(admin, { limit }), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await list(admin, { userId: outsider.userId }), 400, 'VALIDATION_FAILED');
      expectProblem(await list(admin, { cursor: 'garbage' }), 400, 'INVALID_CURSOR');
    });

    it('pages with limit and cursor through notifications that share a millisecond', async () => {
      const user = await registerOrganisation(t, { kind: 'studio' });
      // six notifications in one millisecond, pairs of them in the very same microsecond;
      // each from its own (already handled) dummy outbox event, as (event, user) is unique
      await t.db.query(
        `WITH base AS (SELECT date_trunc('milliseconds', now()) AS ts),
              ev AS (
                INSERT INTO outbox (type, payload, published_at, handled_at)
                SELECT 'test.dummy', jsonb_build_object('n', g), now(), now() FROM generate_series(1, 6) g
                RETURNING id, (payload->>'n')::int AS g)
         INSERT INTO notifications (event_id, user_id, type, title, data, created_at)
         SELECT ev.id, $1, 'test.dummy', 'Dummy ' || ev.g, jsonb_build_object('n', ev.g),
                base.ts + ((ev.g / 2) || ' microseconds')::interval
           FROM ev, base`,
        [user.userId],
      );
      const { rows } = await t.db.query<{ id: string }>(
        'SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC',
        [user.userId],
      );
      expect(rows).toHaveLength(6);
      const times = new Set(
        (
          await t.db.query<{ ms: string }>(
            `SELECT date_trunc('milliseconds', created_at)::text AS ms FROM notifications WHERE user_id = $1`,
            [user.userId],
          )
        ).rows.map((r) => r.ms),
      );
      expect(times.size).toBe(1);

      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const res = await list(user, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        seen.push(...itemsOf(res).map((n) => n.id));
        sizes.push(itemsOf(res).length);
        cursor = res.body.nextCursor as string | null;
        if (cursor === null) break;
      }
      expect(cursor).toBeNull();
      expect(sizes).toEqual([2, 2, 2]);
      expect(seen).toEqual(rows.map((r) => r.id));
      expect(new Set(seen).size).toBe(6);

      // the unread filter pages the same way
      const unreadSeen: string[] = [];
      cursor = null;
      for (let i = 0; i < 10; i++) {
        const res = await list(user, { limit: 4, unread: 'true', ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        unreadSeen.push(...itemsOf(res).map((n) => n.id));
        cursor = res.body.nextCursor as string | null;
        if (cursor === null) break;
      }
      expect(unreadSeen).toEqual(rows.map((r) => r.id));
    });
  });

  describe('POST /notifications/{id}/read', () => {
    let member: Actor;
    let other: Actor;
    let invitation: Notification;

    beforeAll(async () => {
      const admin = await registerOrganisation(t, { kind: 'broadcaster' });
      [member, other] = await Promise.all([
        addMember(t, admin, 'commissioner'),
        addMember(t, admin, 'finance'),
      ]);
      invitation = await eventually(async () => itemsOf(await list(member))[0]);
      await eventually(async () => itemsOf(await list(other)).length > 0);
    });

    it('marks the notification read, and a second call keeps the first readAt', async () => {
      const first = await markRead(member, invitation.id);
      expect(first.status).toBe(200);
      expect(Object.keys(first.body).sort()).toEqual(NOTIFICATION_KEYS);
      expect(first.body).toMatchObject({
        id: invitation.id,
        type: 'member.invited',
        title: invitation.title,
      });
      expect(first.body.readAt).toMatch(ISO);

      const second = await markRead(member, invitation.id);
      expect(second.status).toBe(200);
      expect(second.body.readAt).toBe(first.body.readAt);
      expect(itemsOf(await list(member)).find((n) => n.id === invitation.id)!.readAt).toBe(first.body.readAt);
    });

    it("answers 404 for another user's notification and leaves it unread", async () => {
      const theirs = itemsOf(await list(other))[0]!;
      expectProblem(await markRead(member, theirs.id), 404, 'NOT_FOUND');
      expect(itemsOf(await list(other)).find((n) => n.id === theirs.id)!.readAt).toBeNull();
    });

    it('answers 404 for an unknown id and 400 for one that is not a UUID', async () => {
      expectProblem(await markRead(member, randomUUID()), 404, 'NOT_FOUND');
      expectProblem(await markRead(member, 'not-a-uuid'), 400, 'VALIDATION_FAILED');
    });

    it('requires a token', async () => {
      expectProblem(await markRead(null, invitation.id), 401, 'UNAUTHENTICATED');
    });
  });

  describe('fan-out', () => {
    it('writes one row per matching studio member across pages of 1,000, in one job', async () => {
      // 2,501 verified studios interested in the genre (three pages), plus studios that must not
      // hear of it: unverified, interested in another genre, or with a disabled member.
      const genre = `fanout-${randomUUID().slice(0, 8)}`;
      await t.db.query(
        `WITH o AS (
           INSERT INTO organisations (name, kind, country, genres, verified_at)
           SELECT 'Fan-out ' || g, 'studio', 'GB',
                  CASE WHEN g <= 2550 THEN ARRAY[$1] ELSE ARRAY['news'] END,
                  CASE WHEN g <= 2501 OR g > 2550 THEN now() END
             FROM generate_series(1, 2600) g RETURNING id, name)
         INSERT INTO users (organisation_id, email, full_name, role, password_hash, email_notifications, disabled_at)
         SELECT o.id, 'fan-' || o.id || '@test.efir', 'Fan', 'admin', 'x', false,
                CASE WHEN o.name = 'Fan-out 7' THEN now() END
           FROM o`,
        [genre],
      );
      const broadcaster = await registerOrganisation(t, { kind: 'broadcaster' });
      const briefId = await publishBrief(t, broadcaster, briefBody({ genre }));
      const count = async (): Promise<number> => {
        const { rows } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notifications n JOIN outbox o ON o.id = n.event_id
            WHERE o.type = 'brief.published' AND o.payload->'data'->>'briefId' = $1`,
          [briefId],
        );
        return rows[0]!.n;
      };
      await eventually(async () => (await count()) >= 2500);
      const { rows } = await t.db.query<{ n: number; distinct_users: number; wrong: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT n.user_id)::int AS distinct_users,
                count(*) FILTER (WHERE org.verified_at IS NULL OR NOT ($2 = ANY(org.genres)) OR u.disabled_at IS NOT NULL)::int AS wrong
           FROM notifications n JOIN outbox o ON o.id = n.event_id
           JOIN users u ON u.id = n.user_id JOIN organisations org ON org.id = u.organisation_id
          WHERE o.type = 'brief.published' AND o.payload->'data'->>'briefId' = $1`,
        [briefId, genre],
      );
      expect(rows[0]).toEqual({ n: 2500, distinct_users: 2500, wrong: 0 });
      // one event, handled once: no follow-up page events
      const events = await t.db.query<{ type: string }>(
        `SELECT type FROM outbox WHERE payload->'data'->>'briefId' = $1 AND type LIKE 'brief.%' ORDER BY id`,
        [briefId],
      );
      expect(events.rows.filter((e) => e.type === 'brief.published')).toHaveLength(1);
    });
  });

  describe('language', () => {
    it("writes the in-app title and the e-mail subject in the recipient's language", async () => {
      const admin = await registerOrganisation(t, { kind: 'broadcaster', name: 'Qazaq TV' });
      const expected: Record<string, string> = {
        kk: 'Сіз Qazaq TV ұйымына қосылдыңыз',
        ru: 'Вас добавили в Qazaq TV',
        en: 'You have been added to Qazaq TV',
      };
      for (const language of ['kk', 'ru', 'en', undefined]) {
        const email = uniqueEmail(language ?? 'nolang');
        const res = await t
          .http()
          .post(`${API}/organisations/${admin.organisationId}/members`)
          .set(...bearer(admin))
          .send({
            email,
            password: 'member-password-123',
            fullName: 'Әлия Нұрбекова',
            role: 'commissioner',
            ...(language ? { language } : {}),
          });
        expect(res.status).toBe(201);
        const title = expected[language ?? 'en'];
        const member = await login(t, email, 'member-password-123');

        const invitation = await eventually(async () =>
          itemsOf(await list(member)).find((n) => n.type === 'member.invited'),
        );
        expect(invitation.title).toBe(title);

        const mails = await eventually(async () => {
          const found = await mailsTo(t, email);
          return found.length > 0 && found;
        });
        expect(mails).toHaveLength(1);
        expect(mails[0]!.subject).toBe(title);
        expect(mails[0]!.text).toContain(email);
      }
    });

    it('refuses a language it does not write', async () => {
      const admin = await registerOrganisation(t, { kind: 'studio' });
      const res = await t
        .http()
        .post(`${API}/organisations/${admin.organisationId}/members`)
        .set(...bearer(admin))
        .send({
          email: uniqueEmail('de'),
          password: 'member-password-123',
          fullName: 'Deutsch',
          role: 'producer',
          language: 'de',
        });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });
  });
});
