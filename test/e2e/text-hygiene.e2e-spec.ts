import { createHash, randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, uniqueEmail, validBin } from '../factories';
import {
  activeContract,
  bidBody,
  briefBody,
  createBrief,
  createBroadcaster,
  createStudio,
  publishBrief,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { API, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

const NUL = '\u0000';
const BEL = '\u0007';
const ESC = '\u001b';
const RLO = '\u202e';

/** A 400 VALIDATION_FAILED whose field errors include `field` refused for `why`. */
function expectRefused(res: Response, field: string, why: RegExp): void {
  expectProblem(res, 400, 'VALIDATION_FAILED');
  expect(res.body.errors).toEqual(
    expect.arrayContaining([{ field, message: expect.stringMatching(why) as unknown }]),
  );
}

describe('Text hygiene over HTTP', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  let other: Studio;
  let briefId: string;
  let contract: { contractId: string; milestones: { id: string }[] };

  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return rows[0]!.n;
  };

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0', LOGIN_RATE_LIMIT_PER_IP: '1000' });
    [b, s, other] = await Promise.all([createBroadcaster(t), createStudio(t), createStudio(t)]);
    [briefId, contract] = await Promise.all([publishBrief(t, b.commissioner), activeContract(t, b, s)]);
  });
  afterAll(() => t.close());

  describe('POST /auth/register', () => {
    const register = (organisation: Record<string, unknown>, user: Record<string, unknown>) => {
      const email = uniqueEmail('hygiene');
      return {
        email,
        send: () =>
          t
            .http()
            .post(`${API}/auth/register`)
            .send({
              organisation: {
                name: 'Хабар Studio',
                kind: 'studio',
                country: 'KZ',
                bin: validBin(),
                ...organisation,
              },
              user: { email, password: 'correct-horse-battery', fullName: 'Әлия Серікқызы', ...user },
            }),
      };
    };

    it.each([
      [
        'a NUL byte in organisation.name',
        { name: `Evil${NUL}Org` },
        {},
        'organisation.name',
        /control characters \(U\+0000\)/,
      ],
      [
        'a NUL byte in user.fullName',
        {},
        { fullName: `Ali${NUL}` },
        'user.fullName',
        /control characters \(U\+0000\)/,
      ],
      [
        'a bidi override in organisation.name',
        { name: `Studio${RLO}olleh` },
        {},
        'organisation.name',
        /bidirectional text controls \(U\+202E\)/,
      ],
      [
        'an ESC sequence in user.fullName',
        {},
        { fullName: `Ali ${ESC}[2J` },
        'user.fullName',
        /control characters \(U\+001B\)/,
      ],
      [
        'a newline in user.fullName',
        {},
        { fullName: 'Ali\nAdmin: yes' },
        'user.fullName',
        /line breaks or tabs \(U\+000A\)/,
      ],
      [
        'a NUL byte in a foreign bin',
        { country: 'DE', bin: `DE${NUL}1` },
        {},
        'organisation.bin',
        /control characters/,
      ],
    ])('refuses %s with 400 and creates nothing', async (_what, organisation, user, field, why) => {
      const organisations = await count('organisations');
      const attempt = register(organisation, user);
      expectRefused(await attempt.send(), field, why);
      expect(await count('organisations')).toBe(organisations);
      expect(await count('users WHERE email = $1', [attempt.email])).toBe(0);
    });

    it('accepts Kazakh and Russian names with emoji and stores them as sent', async () => {
      const name = `Қазақфильм ғұмыр 🎬 ${randomBytes(3).toString('hex')}`;
      const attempt = register({ name }, { fullName: 'Нұрлан Әбішұлы, Ёлкин' });
      const res = await attempt.send();
      expect(res.status).toBe(201);
      const { rows } = await t.db.query<{ name: string; full_name: string }>(
        `SELECT o.name, u.full_name FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1`,
        [attempt.email],
      );
      expect(rows).toEqual([{ name, full_name: 'Нұрлан Әбішұлы, Ёлкин' }]);
    });

    it('answers a NUL byte in a password without a 500', async () => {
      // Passwords are not text-checked (they are hashed, never shown), but must not break anything.
      const attempt = register({}, { password: `correct-horse${NUL}battery` });
      expect((await attempt.send()).status).toBe(201);
      const login = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: attempt.email, password: `correct-horse${NUL}battery` });
      expect(login.status).toBe(200);
      const wrong = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: attempt.email, password: `correct-horse${NUL}` });
      expectProblem(wrong, 401);
    });
  });

  describe('organisations', () => {
    it('refuses a bidi control in a renamed organisation and a new member', async () => {
      const org = b.admin.organisationId;
      const before = await t.db.query<{ name: string }>('SELECT name FROM organisations WHERE id = $1', [
        org,
      ]);
      const rename = await t
        .http()
        .patch(`${API}/organisations/${org}`)
        .set(...bearer(b.admin))
        .send({ name: `Channel ${RLO}1` });
      expectRefused(rename, 'name', /bidirectional text controls \(U\+202E\)/);
      const after = await t.db.query<{ name: string }>('SELECT name FROM organisations WHERE id = $1', [org]);
      expect(after.rows).toEqual(before.rows);

      const email = uniqueEmail('member');
      const member = await t
        .http()
        .post(`${API}/organisations/${org}/members`)
        .set(...bearer(b.admin))
        .send({ email, password: 'member-password-123', fullName: `Bell${BEL}`, role: 'producer' });
      expectRefused(member, 'fullName', /control characters \(U\+0007\)/);
      expect(await count('users WHERE email = $1', [email])).toBe(0);
    });
  });

  describe('briefs', () => {
    const briefsOf = (orgId: string): Promise<number> => count('briefs WHERE broadcaster_id = $1', [orgId]);

    it('refuses a brief title with U+202E and stores no brief', async () => {
      const before = await briefsOf(b.admin.organisationId);
      const res = await t
        .http()
        .post(`${API}/briefs`)
        .set(...bearer(b.commissioner))
        .send({ ...briefBody(), title: `Season 2 ${RLO}4pm.exe` });
      expectRefused(res, 'title', /^title must not contain bidirectional text controls \(U\+202E\)$/);
      expect(await briefsOf(b.admin.organisationId)).toBe(before);
    });

    it('refuses a newline in a title and keeps CRLF and tabs in the synopsis', async () => {
      const multiline = await t
        .http()
        .post(`${API}/briefs`)
        .set(...bearer(b.commissioner))
        .send({ ...briefBody(), title: 'Two\nlines' });
      expectRefused(multiline, 'title', /line breaks or tabs \(U\+000A\)/);

      const synopsis = 'Бірінші бөлім.\r\n\tЕкінші бөлім 🎬\nТретья часть.';
      const id = await createBrief(t, b.commissioner, { ...briefBody(), synopsis });
      const { rows } = await t.db.query<{ synopsis: string }>('SELECT synopsis FROM briefs WHERE id = $1', [
        id,
      ]);
      expect(rows[0]!.synopsis).toBe(synopsis);
    });

    it('refuses control characters in nested fields and array items', async () => {
      const body = briefBody();
      const res = await t
        .http()
        .post(`${API}/briefs`)
        .set(...bearer(b.commissioner))
        .send({
          ...body,
          criteria: [{ name: `creative${ESC}`, weight: 100 }],
          rights: { ...(body.rights as object), platforms: ['linear', `vod${NUL}`] },
          deliverySpec: { notes: `ProRes${BEL}` },
        });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'criteria.0.name', message: 'name must not contain control characters (U+001B)' },
          {
            field: 'rights.platforms',
            message: 'each value in platforms must not contain control characters (U+0000)',
          },
          { field: 'deliverySpec.notes', message: 'notes must not contain control characters (U+0007)' },
        ]),
      );
    });

    it('refuses a bidi control in a draft update, an amendment and a cancellation', async () => {
      const draft = await createBrief(t, b.commissioner);
      const patch = await t
        .http()
        .patch(`${API}/briefs/${draft}`)
        .set(...bearer(b.commissioner))
        .send({ title: `Draft ${RLO}` });
      expectRefused(patch, 'title', /bidirectional text controls/);

      const amend = await t
        .http()
        .post(`${API}/briefs/${briefId}/amendments`)
        .set(...bearer(b.commissioner))
        .send({ changes: { title: `Amended\u2066title` }, reason: `Because${ESC}[0m` });
      expectRefused(amend, 'changes.title', /bidirectional text controls \(U\+2066\)/);
      expectRefused(amend, 'reason', /control characters \(U\+001B\)/);
      expect(await count('brief_amendments WHERE brief_id = $1', [briefId])).toBe(0);

      const cancel = await t
        .http()
        .post(`${API}/briefs/${briefId}/cancel`)
        .set(...bearer(b.commissioner))
        .send({ reason: `No budget\u200f` });
      expectRefused(cancel, 'reason', /bidirectional text controls \(U\+200F\)/);
      const brief = async (id: string) =>
        (
          await t.db.query<{ title: string; status: string }>(
            'SELECT title, status FROM briefs WHERE id = $1',
            [id],
          )
        ).rows[0];
      expect(await brief(draft)).toEqual({ title: briefBody().title, status: 'draft' });
      expect(await brief(briefId)).toEqual({ title: briefBody().title, status: 'published' });
    });

    it('answers a NUL byte or a bidi control in the search query with 400, not 500', async () => {
      for (const q of ['%00', 'a%00b', '%E2%80%AE']) {
        const res = await t
          .http()
          .get(`${API}/briefs?q=${q}`)
          .set(...bearer(s.producer));
        expectRefused(res, 'q', /must not contain/);
      }
      const genre = await t
        .http()
        .get(`${API}/briefs?genre=doc%07`)
        .set(...bearer(s.producer));
      expectRefused(genre, 'genre', /control characters \(U\+0007\)/);
      const ok = await t
        .http()
        .get(`${API}/briefs`)
        .query({ q: 'әуендері' })
        .set(...bearer(s.producer));
      expect(ok.status).toBe(200);
      expect(ok.body.items.map((x: { id: string }) => x.id)).toContain(briefId);
    });
  });

  describe('bids', () => {
    const bidsOf = (studio: Studio): Promise<number> =>
      count('bids WHERE brief_id = $1 AND studio_id = $2', [briefId, studio.admin.organisationId]);

    it('refuses an ESC in creativeApproach and stores no bid', async () => {
      const res = await t
        .http()
        .post(`${API}/briefs/${briefId}/bids`)
        .set(...bearer(s.producer))
        .send(bidBody(100_000_000_00, { creativeApproach: `Observational ${ESC}[31mred`, submit: true }));
      expectRefused(
        res,
        'creativeApproach',
        /^creativeApproach must not contain control characters \(U\+001B\)$/,
      );
      expect(await bidsOf(s)).toBe(0);
    });

    it('refuses control characters in breakdown labels and milestone titles', async () => {
      const body = bidBody();
      const [line] = body.breakdown as { label: string }[];
      const [milestone] = body.milestones as { title: string }[];
      line!.label = `Production${NUL}`;
      milestone!.title = `Scripts${RLO}`;
      const res = await t
        .http()
        .post(`${API}/briefs/${briefId}/bids`)
        .set(...bearer(s.producer))
        .send(body);
      expectRefused(res, 'breakdown.0.label', /control characters \(U\+0000\)/);
      expectRefused(res, 'milestones.0.title', /bidirectional text controls \(U\+202E\)/);
      expect(await bidsOf(s)).toBe(0);
    });

    it('refuses an ESC in an update of a draft bid and keeps the draft as it was', async () => {
      const draft = await t
        .http()
        .post(`${API}/briefs/${briefId}/bids`)
        .set(...bearer(other.producer))
        .send({ ...bidBody(), team: 'Line one\r\nLine two\twith a tab' });
      expect(draft.status).toBe(201);
      const res = await t
        .http()
        .patch(`${API}/bids/${draft.body.id}`)
        .set(...bearer(other.producer))
        .send({ team: `Director${ESC}]0;pwned${BEL}` });
      expectRefused(res, 'team', /control characters \(U\+001B\)/);
      const { rows } = await t.db.query<{ team: string }>(
        `SELECT content->>'team' AS team FROM bids WHERE id = $1`,
        [draft.body.id],
      );
      expect(rows[0]!.team).toBe('Line one\r\nLine two\twith a tab');
    });

    it('refuses control characters in scores and decision notes', async () => {
      // Validation comes before the lifecycle rules: these bids are still sealed.
      const bid = (
        await t.db.query<{ id: string }>('SELECT id FROM bids WHERE brief_id = $1 LIMIT 1', [briefId])
      ).rows[0]!.id;
      const scores = await t
        .http()
        .put(`${API}/bids/${bid}/scores`)
        .set(...bearer(b.commissioner))
        .send({ scores: [{ criterion: `creative${BEL}`, score: 5 }] });
      expectRefused(scores, 'scores.0.criterion', /control characters \(U\+0007\)/);
      const note = await t
        .http()
        .post(`${API}/bids/${bid}/reject`)
        .set(...bearer(b.commissioner))
        .send({ note: `Too expensive${RLO}` });
      expectRefused(note, 'note', /bidirectional text controls/);
    });
  });

  describe('questions', () => {
    it('refuses a BEL in a question and stores no question', async () => {
      const res = await t
        .http()
        .post(`${API}/briefs/${briefId}/questions`)
        .set(...bearer(s.producer))
        .send({ text: `Is archive footage allowed?${BEL}` });
      expectRefused(res, 'text', /^text must not contain control characters \(U\+0007\)$/);
      expect(await count('questions WHERE brief_id = $1', [briefId])).toBe(0);
    });

    it('keeps line breaks in a question and refuses an ESC in the answer', async () => {
      const text = 'Екі сұрақ:\n1. Архив?\r\n2. Музыка?';
      const asked = await t
        .http()
        .post(`${API}/briefs/${briefId}/questions`)
        .set(...bearer(s.producer))
        .send({ text });
      expect(asked.status).toBe(201);
      expect(asked.body.text).toBe(text);
      const res = await t
        .http()
        .post(`${API}/questions/${asked.body.id}/answer`)
        .set(...bearer(b.commissioner))
        .send({ text: `Yes${ESC}[8m hidden` });
      expectRefused(res, 'text', /control characters \(U\+001B\)/);
      const { rows } = await t.db.query<{ answer_text: string | null }>(
        'SELECT answer_text FROM questions WHERE id = $1',
        [asked.body.id],
      );
      expect(rows).toEqual([{ answer_text: null }]);
    });
  });

  describe('deliverables', () => {
    const register = (fileName: string) => {
      const data = randomBytes(1024);
      return t
        .http()
        .post(`${API}/milestones/${contract.milestones[0]!.id}/deliverables`)
        .set(...bearer(s.producer))
        .send({
          kind: 'script',
          fileName,
          size: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
          contentType: 'application/pdf',
        });
    };
    const storedName = async (id: string): Promise<string> =>
      (await t.db.query<{ file_name: string }>('SELECT file_name FROM deliverables WHERE id = $1', [id]))
        .rows[0]!.file_name;

    it('accepts a file name with U+202E and stores it without the override', async () => {
      const res = await register(`invoice${RLO}fdp.exe`);
      expect(res.status).toBe(201);
      expect(res.body.deliverable.fileName).toBe('invoicefdp.exe');
      expect(await storedName(res.body.deliverable.id)).toBe('invoicefdp.exe');
    });

    it('replaces NUL, BEL, ESC and C1 controls in a file name', async () => {
      const res = await register(`a${NUL}b${BEL}c${ESC}d\u0085e.pdf`);
      expect(res.status).toBe(201);
      expect(await storedName(res.body.deliverable.id)).toBe('a_b_c_d_e.pdf');
    });

    it('refuses a BEL in request-changes notes', async () => {
      const res = await t
        .http()
        .post(`${API}/milestones/${contract.milestones[0]!.id}/request-changes`)
        .set(...bearer(b.commissioner))
        .send({ notes: `Fix the audio${BEL}` });
      expectRefused(res, 'notes', /control characters \(U\+0007\)/);
    });
  });

  describe('contracts and payouts', () => {
    it('refuses control characters in milestone titles and a termination reason', async () => {
      const milestones = await t
        .http()
        .put(`${API}/contracts/${contract.contractId}/milestones`)
        .set(...bearer(b.commissioner))
        .send({
          milestones: [
            { title: `All${RLO}`, amount: { amount: 1, currency: 'KZT' }, dueAt: new Date().toISOString() },
          ],
        });
      expectRefused(milestones, 'milestones.0.title', /bidirectional text controls/);

      const terminate = await t
        .http()
        .post(`${API}/contracts/${contract.contractId}/terminate`)
        .set(...bearer(b.commissioner))
        .send({ reason: `Breach${NUL}` });
      expectRefused(terminate, 'reason', /control characters \(U\+0000\)/);
      const { rows } = await t.db.query<{ status: string }>('SELECT status FROM contracts WHERE id = $1', [
        contract.contractId,
      ]);
      expect(rows[0]!.status).toBe('active');
    });

    it('refuses a bidi control in a payout reference', async () => {
      const res = await t
        .http()
        .post(`${API}/payouts/00000000-0000-4000-8000-000000000000/mark-paid`)
        .set(...bearer(b.finance))
        .send({ reference: `KZ-0001${RLO}`, paidAt: '2026-01-05' });
      expectRefused(res, 'reference', /bidirectional text controls \(U\+202E\)/);
    });
  });

  describe('the database backstop', () => {
    it('answers a NUL byte that no DTO check refuses with 400, not 500', async () => {
      // entityId is an identifier filter with no text check: PostgreSQL refuses the NUL (22021).
      const res = await t
        .http()
        .get(`${API}/audit?entityId=a%00b`)
        .set(...bearer(b.admin));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errorId).toBeUndefined();
    });
  });
});
