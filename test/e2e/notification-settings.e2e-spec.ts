import {
  addMember,
  bearer,
  loginOperator,
  registerOrganisation,
  type Actor,
  type Notification,
} from '../factories';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { waitForNotification } from '../utils/notifications';
import { mailsTo } from '../utils/mail';

/**
 * The per-user settings of PATCH /me, seen from the outside: in-app notifications always, e-mail
 * unless muted (all of it, or per type), both in the user's language. The event used is
 * `organisation.verified`, which goes to every admin of the organisation at once, so users with
 * different settings receive the very same event. (`member.invited` cannot serve: it only ever
 * goes to a user who did not exist a moment before, and so has had no chance to mute anything.)
 */
describe('Notification settings', () => {
  let t: TestApp;
  let operator: Actor;

  beforeAll(async () => {
    t = await startApp({ LOGIN_RATE_LIMIT_PER_IP: '1000' });
    operator = await loginOperator(t);
  });
  afterAll(() => t.close());

  async function settings(who: Actor, body: Record<string, unknown>): Promise<void> {
    const res = await t
      .http()
      .patch(`${API}/me`)
      .set(...bearer(who))
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(body);
  }

  /** A studio with its first admin and `extra` more admins, each one's invitation already handled. */
  async function studioWithAdmins(name: string, extra: number): Promise<Actor[]> {
    const first = await registerOrganisation(t, { kind: 'studio', name });
    const admins = [first];
    for (let i = 0; i < extra; i++) admins.push(await addMember(t, first, 'admin'));
    for (const a of admins.slice(1)) await inApp(a, 'member.invited');
    return admins;
  }

  async function verify(org: Actor): Promise<void> {
    await t
      .http()
      .post(`${API}/organisations/${org.organisationId}/verify`)
      .set(...bearer(operator))
      .expect(200);
  }

  /** Waits for the user's in-app notification of `type`. */
  function inApp(who: Actor, type: string): Promise<Notification> {
    return waitForNotification(t, who, type);
  }

  /** The users for whom an e-mail of the organisation's `organisation.verified` event was queued. */
  async function verifiedMailRecipients(org: Actor): Promise<string[]> {
    const { rows } = await t.db.query<{ user_id: string }>(
      `SELECT m.user_id FROM outgoing_mail m JOIN outbox e ON e.id = m.event_id
        WHERE e.type = 'organisation.verified' AND e.payload->'data'->>'organisationId' = $1
        ORDER BY m.user_id`,
      [org.organisationId],
    );
    return rows.map((r) => r.user_id);
  }

  /** Waits for the e-mails to `who` whose subject is `subject`, and returns them. */
  const mailed = (who: Actor, subject: string) =>
    eventually(async () => {
      const found = (await mailsTo(t, who.email)).filter((m) => m.subject === subject);
      return found.length > 0 && found;
    });

  describe('PATCH /me', () => {
    it("mutes one type's e-mail for that user only, and keeps its in-app notification", async () => {
      const [plain, mutedHere, mutedOther] = await studioWithAdmins('Altyn Film', 2);
      await settings(mutedHere!, { emailMutedTypes: ['organisation.verified'] });
      await settings(mutedOther!, { emailMutedTypes: ['member.invited', 'brief.published'] });

      await verify(plain!);
      const subject = 'Altyn Film is verified';
      for (const who of [plain!, mutedHere!, mutedOther!])
        expect((await inApp(who, 'organisation.verified')).title).toBe(subject);
      expect(await mailed(plain!, subject)).toHaveLength(1);
      expect(await mailed(mutedOther!, subject)).toHaveLength(1);

      // All recipients' e-mails are queued by one statement: the muted user's would be there by now.
      expect(await verifiedMailRecipients(plain!)).toEqual([plain!.userId, mutedOther!.userId].sort());
      expect((await mailsTo(t, mutedHere!.email)).map((m) => m.subject)).not.toContain(subject);
    });

    it('turns off every e-mail with emailNotifications: false, in-app notifications still arrive', async () => {
      const [plain, silent] = await studioWithAdmins('Kok Studio', 1);
      await settings(silent!, { emailNotifications: false });

      await verify(plain!);
      const subject = 'Kok Studio is verified';
      expect((await inApp(silent!, 'organisation.verified')).title).toBe(subject);
      expect(await mailed(plain!, subject)).toHaveLength(1);
      expect(await verifiedMailRecipients(plain!)).toEqual([plain!.userId]);
      expect((await mailsTo(t, silent!.email)).map((m) => m.subject)).not.toContain(subject);

      // The switch leaves the per-type list alone.
      const me = await t
        .http()
        .get(`${API}/me`)
        .set(...bearer(silent!))
        .expect(200);
      expect(me.body).toMatchObject({ emailNotifications: false, emailMutedTypes: [] });
    });

    it("writes the in-app title and the e-mail subject in each user's language", async () => {
      const [english, russian, kazakh] = await studioWithAdmins('Nomad Pictures', 2);
      await settings(russian!, { language: 'ru' });
      await settings(kazakh!, { language: 'kk' });

      await verify(english!);
      const expected: [Actor, string][] = [
        [english!, 'Nomad Pictures is verified'],
        [russian!, 'Организация Nomad Pictures подтверждена'],
        [kazakh!, 'Nomad Pictures ұйымы расталды'],
      ];
      for (const [who, title] of expected) {
        expect((await inApp(who, 'organisation.verified')).title).toBe(title);
        expect(await mailed(who, title)).toHaveLength(1);
      }
    });

    it('refuses an unknown type, a non-boolean emailNotifications and a language it does not write', async () => {
      const [admin] = await studioWithAdmins('Shyraq', 0);
      for (const body of [
        { emailMutedTypes: ['no.such.type'] },
        { emailMutedTypes: ['member.invited', 'member.invited'] },
        { emailNotifications: 'no' },
        { language: 'de' },
      ]) {
        const res = await t
          .http()
          .patch(`${API}/me`)
          .set(...bearer(admin!))
          .send(body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      const me = await t
        .http()
        .get(`${API}/me`)
        .set(...bearer(admin!))
        .expect(200);
      expect(me.body).toMatchObject({ language: null, emailNotifications: true, emailMutedTypes: [] });
    });

    it('requires a token', async () => {
      expectProblem(await t.http().patch(`${API}/me`).send({ language: 'ru' }), 401, 'UNAUTHENTICATED');
    });
  });
});
