import type { Response } from 'supertest';
import { bearer, type Actor } from '../factories';
import {
  createBroadcaster,
  createStudio,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { ideaCallBody, openIdeaCall, seedIdea } from '../factories/ideas';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { mailsTo } from '../utils/mail';
import { expectProblem } from '../utils/expect';
import { notificationsAbout, waitForNotification } from '../utils/notifications';

const ids = (res: Response): string[] => (res.body.items as { id: string }[]).map((i) => i.id);
const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();

/** The report limit per client address in this file's app (VOTE_REQUESTS_PER_IP_PER_HOUR). */
const REPORTS_PER_IP = 3;

describe('Idea moderation, public ideas and reports', () => {
  let t: TestApp;
  let b: Broadcaster;
  let b2: Broadcaster;
  let s: Studio;
  let callId: string;
  let lastIp = 0;

  /** A client address of its own (the app trusts X-Forwarded-For from 127.0.0.1). */
  const nextIp = (): string => {
    lastIp++;
    return `198.51.${Math.floor(lastIp / 250)}.${(lastIp % 250) + 1}`;
  };

  const get = (path: string, who?: Actor) => {
    const r = t.http().get(`${API}${path}`);
    return who ? r.set(...bearer(who)) : r;
  };
  const post = (path: string, who: Actor, body?: object) => {
    const r = t
      .http()
      .post(`${API}${path}`)
      .set(...bearer(who));
    return body === undefined ? r : r.send(body);
  };
  const report = (ideaId: string, email: string, reason = 'spam', ip = nextIp()) =>
    t.http().post(`${API}/public/ideas/${ideaId}/reports`).set('X-Forwarded-For', ip).send({ email, reason });

  const stored = async (id: string) => {
    const { rows } = await t.db.query<{
      status: string;
      decision_reason: string | null;
      answer_text: string | null;
      answered_at: Date | null;
    }>('SELECT status, decision_reason, answer_text, answered_at FROM ideas WHERE id = $1', [id]);
    return rows[0]!;
  };
  const auditOf = async (id: string) => {
    const { rows } = await t.db.query<{
      action: string;
      actor_id: string | null;
      organisation_id: string | null;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }>(
      `SELECT action, actor_id, organisation_id, before, after FROM audit_events
        WHERE entity_type = 'idea' AND entity_id = $1 ORDER BY seq`,
      [id],
    );
    return rows;
  };
  const mailsQueued = async (id: string) => {
    const { rows } = await t.db.query<{ kind: string }>(
      `SELECT payload->>'kind' AS kind FROM outbox WHERE type = 'idea.mail' AND payload->>'ideaId' = $1 ORDER BY id`,
      [id],
    );
    return rows.map((r) => r.kind);
  };
  const reportRows = async (id: string) => {
    const { rows } = await t.db.query<{ reporter_hmac: string; reason: string; reviewed_at: Date | null }>(
      'SELECT reporter_hmac, reason, reviewed_at FROM idea_reports WHERE idea_id = $1',
      [id],
    );
    return rows;
  };

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: '127.0.0.1', VOTE_REQUESTS_PER_IP_PER_HOUR: String(REPORTS_PER_IP) });
    [b, b2, s] = await Promise.all([createBroadcaster(t), createBroadcaster(t), createStudio(t)]);
    callId = await openIdeaCall(t, b.commissioner);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('moderation moves', () => {
    it.each([
      ['approve', 'pending', 'approved', undefined, 'decision'],
      ['reject', 'pending', 'rejected', { reason: 'Not a programme idea.' }, 'decision'],
      ['shortlist', 'approved', 'shortlisted', undefined, 'decision'],
      ['decline', 'approved', 'declined', { answer: 'Thank you; not this season.' }, 'decision'],
      ['decline', 'shortlisted', 'declined', { answer: 'We chose another idea.' }, 'decision'],
      ['hide', 'approved', 'hidden', { reason: 'Names a private person.' }, undefined],
      ['unhide', 'hidden', 'approved', undefined, undefined],
    ])(
      '%s moves an idea from %s to %s, audited, with the e-mail the move sends',
      async (action, from, to, body, mail) => {
        const id = await seedIdea(t, callId, { status: from });
        const res = await post(`/ideas/${id}/${action}`, b.commissioner, body).expect(200);
        expect(res.body).toMatchObject({ id, callId, status: to });
        expect((await stored(id)).status).toBe(to);
        const [event, ...more] = await auditOf(id);
        expect(more).toEqual([]);
        expect(event).toEqual({
          action: `idea.${action === 'unhide' ? 'unhidden' : `${to}`}`,
          actor_id: b.commissioner.userId,
          organisation_id: b.admin.organisationId,
          before: { status: from },
          after: { status: to, ...body },
        });
        expect(await mailsQueued(id)).toEqual(mail ? [mail] : []);
      },
    );

    it('keeps the reason of a rejection and a hiding for the channel; unhiding clears it', async () => {
      const rejected = await seedIdea(t, callId);
      const r = await post(`/ideas/${rejected}/reject`, b.commissioner, { reason: '  Off topic.  ' }).expect(
        200,
      );
      expect(r.body).toMatchObject({ status: 'rejected', decisionReason: 'Off topic.', answer: null });

      const hidden = await seedIdea(t, callId, { status: 'approved' });
      const h = await post(`/ideas/${hidden}/hide`, b.commissioner, { reason: 'Under review.' }).expect(200);
      expect(h.body).toMatchObject({ status: 'hidden', decisionReason: 'Under review.' });
      const u = await post(`/ideas/${hidden}/unhide`, b.commissioner).expect(200);
      expect(u.body).toMatchObject({ status: 'approved', decisionReason: null });
    });

    it('publishes the answer of a decline with the database time', async () => {
      const id = await seedIdea(t, callId, { status: 'shortlisted' });
      const res = await post(`/ideas/${id}/decline`, b.commissioner, { answer: 'Not this season.' }).expect(
        200,
      );
      const row = await stored(id);
      expect(res.body.answer).toEqual({
        text: 'Not this season.',
        publishedAt: row.answered_at!.toISOString(),
      });
      expect(row.answer_text).toBe('Not this season.');
    });

    it.each([
      ['approve', 'hidden', undefined],
      ['approve', 'rejected', undefined],
      ['approve', 'withdrawn', undefined],
      ['reject', 'approved', { reason: 'Too late for that.' }],
      ['shortlist', 'pending', undefined],
      ['shortlist', 'declined', undefined],
      ['decline', 'pending', { answer: 'No.' }],
      ['decline', 'converted', { answer: 'No.' }],
      ['hide', 'pending', { reason: 'Not yet public.' }],
      ['hide', 'shortlisted', { reason: 'Not this one.' }],
      ['unhide', 'approved', undefined],
      ['unhide', 'rejected', undefined],
    ])(
      'refuses to %s an idea that is %s (409), changing and auditing nothing',
      async (action, from, body) => {
        const id = await seedIdea(t, callId, { status: from });
        expectProblem(await post(`/ideas/${id}/${action}`, b.commissioner, body), 409, 'IDEA_STATE_CONFLICT');
        expect(await stored(id)).toMatchObject({ status: from, decision_reason: null, answer_text: null });
        expect(await auditOf(id)).toEqual([]);
        expect(await mailsQueued(id)).toEqual([]);
      },
    );

    it.each([
      ['reject without a reason', 'reject', {}],
      ['reject with a blank reason', 'reject', { reason: '   ' }],
      ['hide with a reason over 2000 characters', 'hide', { reason: 'x'.repeat(2001) }],
      ['decline without an answer', 'decline', {}],
      ['decline with a control character', 'decline', { answer: 'bell \u0007' }],
      ['hide with an unknown field', 'hide', { reason: 'A fine reason.', note: 'hi' }],
    ])('refuses to %s (400)', async (_name, action, body) => {
      const id = await seedIdea(t, callId, {
        status: action === 'decline' || action === 'hide' ? 'approved' : 'pending',
      });
      expectProblem(await post(`/ideas/${id}/${action}`, b.commissioner, body), 400, 'VALIDATION_FAILED');
      expect(await auditOf(id)).toEqual([]);
    });
  });

  describe('the published answer', () => {
    it('sets and replaces the answer in any status but withdrawn, audited and e-mailed', async () => {
      for (const status of ['pending', 'rejected', 'approved', 'hidden', 'declined', 'converted']) {
        const id = await seedIdea(t, callId, { status });
        const first = await post(`/ideas/${id}/answer`, b.admin, { text: 'Thank you for writing.' }).expect(
          200,
        );
        expect(first.body).toMatchObject({ status, answer: { text: 'Thank you for writing.' } });
        const second = await post(`/ideas/${id}/answer`, b.commissioner, { text: 'A better answer.' }).expect(
          200,
        );
        expect(second.body.answer.text).toBe('A better answer.');
        expect(Date.parse(second.body.answer.publishedAt as string)).toBeGreaterThanOrEqual(
          Date.parse(first.body.answer.publishedAt as string),
        );
        expect((await stored(id)).status).toBe(status);
        expect((await auditOf(id)).map((e) => [e.action, e.before, e.after])).toEqual([
          ['idea.answered', { status }, { status, answer: 'Thank you for writing.' }],
          ['idea.answered', { status }, { status, answer: 'A better answer.' }],
        ]);
        expect(await mailsQueued(id)).toEqual(['answer', 'answer']);
      }
    });

    it('refuses to answer a withdrawn idea (409)', async () => {
      const id = await seedIdea(t, callId, { status: 'withdrawn' });
      expectProblem(
        await post(`/ideas/${id}/answer`, b.commissioner, { text: 'Hello?' }),
        409,
        'IDEA_STATE_CONFLICT',
      );
      expect(await stored(id)).toMatchObject({ answer_text: null, answered_at: null });
      expect(await mailsQueued(id)).toEqual([]);
    });
  });

  describe('the audit of moderation', () => {
    it("holds the reasons and answers, never the submitter's name or e-mail", async () => {
      const name = 'Dana Audit-Subject';
      const email = `dana.subject-${Date.now()}@mail.kz`;
      const a = await seedIdea(t, callId, { name, email });
      const d = await seedIdea(t, callId, { status: 'approved', name, email });
      await post(`/ideas/${a}/reject`, b.commissioner, { reason: 'A duplicate of an earlier idea.' }).expect(
        200,
      );
      await post(`/ideas/${a}/answer`, b.commissioner, { text: 'See the earlier idea.' }).expect(200);
      await post(`/ideas/${d}/decline`, b.commissioner, { answer: 'Not for our channel.' }).expect(200);

      const res = await get(`/audit?entityType=idea&entityId=${a}`, b.admin).expect(200);
      expect(res.body.items.map((e: { action: string; after: unknown }) => [e.action, e.after])).toEqual([
        ['idea.answered', { status: 'rejected', answer: 'See the earlier idea.' }],
        ['idea.rejected', { status: 'rejected', reason: 'A duplicate of an earlier idea.' }],
      ]);
      const { rows } = await t.db.query<{ e: unknown }>(
        `SELECT to_jsonb(a) AS e FROM audit_events a WHERE entity_type = 'idea' AND entity_id IN ($1, $2)`,
        [a, d],
      );
      expect(rows).toHaveLength(3);
      const json = JSON.stringify(rows);
      expect(json).toContain('Not for our channel.');
      expect(json).not.toContain(email);
      expect(json).not.toContain('Dana');
      expect(json).not.toContain('@');
    });
  });

  describe('who may moderate', () => {
    const actions: [string, object | undefined][] = [
      ['approve', undefined],
      ['reject', { reason: 'Not for us.' }],
      ['shortlist', undefined],
      ['decline', { answer: 'No.' }],
      ['hide', { reason: 'Hidden.' }],
      ['unhide', undefined],
      ['answer', { text: 'Hello.' }],
    ];

    it('answers 404 to another broadcaster and to a studio, for every action and the list', async () => {
      const id = await seedIdea(t, callId);
      for (const who of [b2.commissioner, b2.admin, s.admin]) {
        for (const [action, body] of actions) {
          expectProblem(await post(`/ideas/${id}/${action}`, who, body), 404, 'NOT_FOUND');
        }
        expectProblem(await get(`/idea-calls/${callId}/ideas`, who), 404, 'NOT_FOUND');
      }
      expect(await stored(id)).toMatchObject({ status: 'pending', answer_text: null });
      expect(await auditOf(id)).toEqual([]);
    });

    it('answers 403 to the finance user and a studio producer, who may not moderate; finance reads the list', async () => {
      const id = await seedIdea(t, callId);
      for (const who of [b.finance, s.producer]) {
        for (const [action, body] of actions) {
          expectProblem(await post(`/ideas/${id}/${action}`, who, body), 403, 'FORBIDDEN');
        }
      }
      expect(await stored(id)).toMatchObject({ status: 'pending', answer_text: null });
      expect(ids(await get(`/idea-calls/${callId}/ideas?limit=100`, b.finance).expect(200))).toContain(id);
    });

    it('answers 401 without a token and 404 for an unknown idea', async () => {
      const id = await seedIdea(t, callId);
      expectProblem(await t.http().post(`${API}/ideas/${id}/approve`), 401);
      expectProblem(await t.http().get(`${API}/idea-calls/${callId}/ideas`), 401);
      expectProblem(await post('/ideas/00000000-0000-4000-8000-000000000000/approve', b.commissioner), 404);
      expectProblem(await post('/ideas/not-a-uuid/approve', b.commissioner), 400);
    });
  });

  describe('e-mails to the submitter', () => {
    it("tells each decision in the call's language, with the reason or the answer", async () => {
      // The call is in Kazakh first (ideaCallBody: languages kk, ru): the e-mails are in Kazakh.
      const approved = await seedIdea(t, callId, { title: 'Дала әндері', email: 'approve-me@mail.kz' });
      const rejected = await seedIdea(t, callId, { title: 'Қала түні', email: 'reject-me@mail.kz' });
      await post(`/ideas/${approved}/approve`, b.commissioner).expect(200);
      await post(`/ideas/${rejected}/reject`, b.commissioner, { reason: 'Тақырыпқа сай емес' }).expect(200);
      const [ok] = await eventually(async () => {
        const m = await mailsTo(t, 'approve-me@mail.kz');
        return m.length ? m : undefined;
      });
      expect(ok!.subject).toBe('«Дала әндері» идеяңыз жарияланды');
      const [no] = await eventually(async () => {
        const m = await mailsTo(t, 'reject-me@mail.kz');
        return m.length ? m : undefined;
      });
      expect(no!.subject).toBe('«Қала түні» идеяңыз қабылданбады');
      expect(no!.text).toContain('Тақырыпқа сай емес');
    });
  });

  describe('the moderation list', () => {
    let listCall: string;
    let alike: string;
    let unrelated: string;
    let pending: string;
    let rejected: string;

    beforeAll(async () => {
      listCall = await openIdeaCall(t, b.commissioner);
      // Approved through the route after the pending idea exists: an approval is what makes the
      // pending ideas that read like it list it as similar.
      alike = await seedIdea(t, listCall, {
        title: 'Songs of the steppe nomads',
        logline: 'Old singers of the steppe sing the songs of their nomad ancestors.',
      });
      unrelated = await seedIdea(t, listCall, {
        title: 'Quantum chemistry for children',
        logline: 'Molecules explained with kitchen experiments.',
        description: 'Atoms, bonds and reactions, shown with things from a kitchen.',
      });
      rejected = await seedIdea(t, listCall, { status: 'rejected' });
      pending = await seedIdea(t, listCall, {
        title: 'Songs of the steppe',
        logline: 'Old singers of the steppe sing the songs of their ancestors.',
      });
      for (const id of [alike, unrelated]) await post(`/ideas/${id}/approve`, b.commissioner).expect(200);
    });

    const dbOrder = async (status?: string): Promise<string[]> => {
      const { rows } = await t.db.query<{ id: string }>(
        `SELECT id FROM ideas WHERE call_id = $1 AND ($2::text IS NULL OR status = $2)
          ORDER BY received_at DESC, id DESC`,
        [listCall, status ?? null],
      );
      return rows.map((r) => r.id);
    };

    it('lists every idea newest first, with reports and similar approved ideas', async () => {
      const res = await get(`/idea-calls/${listCall}/ideas`, b.commissioner).expect(200);
      expect(ids(res)).toEqual(await dbOrder());
      expect(res.body.nextCursor).toBeNull();
      const item = (res.body.items as { id: string }[]).find((i) => i.id === pending) as Record<
        string,
        unknown
      >;
      expect(item).toMatchObject({
        id: pending,
        callId: listCall,
        status: 'pending',
        votes: 0,
        reports: 0,
        decisionReason: null,
        credit: { name: 'Aigerim Nurlanovna' },
      });
      const similar = item.similar as { id: string; title: string; similarity: number }[];
      expect(similar.map((x) => x.id)).toEqual([alike]);
      expect(similar[0]).toEqual({
        id: alike,
        title: 'Songs of the steppe nomads',
        similarity: expect.any(Number),
      });
      expect(similar[0]!.similarity).toBeGreaterThanOrEqual(0.25);
      // An approved idea is not similar to itself, and the unrelated one is like nothing here.
      const byId = new Map(
        (res.body.items as { id: string; similar: { id: string }[] }[]).map((i) => [i.id, i]),
      );
      expect(byId.get(alike)!.similar.map((x) => x.id)).toEqual([]);
      expect(byId.get(unrelated)!.similar).toEqual([]);
    });

    it('filters by status', async () => {
      const approved = await get(`/idea-calls/${listCall}/ideas?status=approved`, b.commissioner).expect(200);
      expect(ids(approved)).toEqual(await dbOrder('approved'));
      expect(ids(approved).sort()).toEqual([alike, unrelated].sort());
      const res = await get(`/idea-calls/${listCall}/ideas?status=rejected`, b.commissioner).expect(200);
      expect(ids(res)).toEqual([rejected]);
      expect(
        ids(await get(`/idea-calls/${listCall}/ideas?status=hidden`, b.commissioner).expect(200)),
      ).toEqual([]);
      expectProblem(await get(`/idea-calls/${listCall}/ideas?status=lost`, b.commissioner), 400);
    });

    it('pages with a cursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const res = await get(`/idea-calls/${listCall}/ideas?limit=3${q}`, b.commissioner).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...ids(res));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual(await dbOrder());
      expectProblem(await get(`/idea-calls/${listCall}/ideas?limit=101`, b.commissioner), 400);
      expectProblem(
        await get(`/idea-calls/${listCall}/ideas?cursor=bogus`, b.commissioner),
        400,
        'INVALID_CURSOR',
      );
    });
  });

  describe('the public list', () => {
    const email = 'saule.private@mail.kz';
    let pubCall: string;
    let byStatus: Record<string, string>;

    beforeAll(async () => {
      pubCall = await openIdeaCall(t, b.commissioner);
      byStatus = {};
      for (const status of [
        'pending',
        'approved',
        'rejected',
        'shortlisted',
        'converted',
        'declined',
        'hidden',
        'withdrawn',
      ]) {
        byStatus[status] = await seedIdea(t, pubCall, {
          status,
          email,
          name: `Saule ${status}`,
          credit: true,
        });
      }
      byStatus.uncredited = await seedIdea(t, pubCall, {
        status: 'approved',
        email,
        name: 'Saule Hidden-Name',
        credit: false,
      });
      await post(`/ideas/${byStatus.declined}/answer`, b.commissioner, {
        text: 'Not this season, thank you.',
      }).expect(200);
    });

    it('shows only approved, shortlisted, converted and declined ideas, newest first, without a token', async () => {
      const res = await get(`/public/idea-calls/${pubCall}/ideas`).expect(200);
      const { rows } = await t.db.query<{ id: string }>(
        `SELECT id FROM ideas WHERE call_id = $1 AND status IN ('approved', 'shortlisted', 'converted', 'declined')
          ORDER BY received_at DESC, id DESC`,
        [pubCall],
      );
      expect(ids(res)).toEqual(rows.map((r) => r.id));
      expect(ids(res).sort()).toEqual(
        [
          byStatus.approved,
          byStatus.shortlisted,
          byStatus.converted,
          byStatus.declined,
          byStatus.uncredited,
        ].sort(),
      );
      const declined = (res.body.items as { id: string }[]).find((i) => i.id === byStatus.declined);
      expect(declined).toMatchObject({ status: 'declined', answer: { text: 'Not this season, thank you.' } });
    });

    it('names the submitter only when they agreed, and never shows an e-mail, IP, consent or reports', async () => {
      const res = await get(`/public/idea-calls/${pubCall}/ideas`).expect(200);
      const items = res.body.items as Record<string, unknown>[];
      expect(items.find((i) => i.id === byStatus.approved)!.credit).toEqual({ name: 'Saule approved' });
      expect(items.find((i) => i.id === byStatus.uncredited)!.credit).toBeNull();
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual(
          [
            'answer',
            'callId',
            'convertedBriefId',
            'credit',
            'description',
            'id',
            'logline',
            'receivedAt',
            'status',
            'title',
            'votes',
          ].sort(),
        );
      }
      const json = JSON.stringify(res.body);
      expect(json).not.toContain('@');
      expect(json).not.toContain(email);
      expect(json).not.toContain('Hidden-Name');
      expect(json).not.toMatch(/consent|ipHash|ip_hash|reports|seeded|decisionReason/i);
    });

    it('pages with a cursor', async () => {
      const first = await get(`/public/idea-calls/${pubCall}/ideas?limit=2`).expect(200);
      expect(first.body.items).toHaveLength(2);
      const rest = await get(
        `/public/idea-calls/${pubCall}/ideas?limit=100&cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
      ).expect(200);
      expect(rest.body.nextCursor).toBeNull();
      expect([...ids(first), ...ids(rest)]).toEqual(
        ids(await get(`/public/idea-calls/${pubCall}/ideas`).expect(200)),
      );
    });

    it("shows a closed call's ideas, and not a draft's, a cancelled one's or an unknown call's", async () => {
      const closesAt = inSeconds(2);
      const closing = await openIdeaCall(t, b.commissioner, { closesAt });
      const shown = await seedIdea(t, closing, { status: 'approved' });
      await waitUntilPast(t, closesAt);
      expect(ids(await get(`/public/idea-calls/${closing}/ideas`).expect(200))).toEqual([shown]);

      const draft = await post('/idea-calls', b.commissioner, ideaCallBody()).expect(201);
      await seedIdea(t, draft.body.id as string, { status: 'approved' });
      expectProblem(await get(`/public/idea-calls/${draft.body.id as string}/ideas`), 404, 'NOT_FOUND');

      const cancelled = await openIdeaCall(t, b.commissioner);
      await seedIdea(t, cancelled, { status: 'approved' });
      await post(`/idea-calls/${cancelled}/cancel`, b.commissioner, { reason: 'Budget cut.' }).expect(200);
      expectProblem(await get(`/public/idea-calls/${cancelled}/ideas`), 404, 'NOT_FOUND');

      expectProblem(await get('/public/idea-calls/00000000-0000-4000-8000-000000000000/ideas'), 404);
    });
  });

  describe('public reports', () => {
    let reportCall: string;

    beforeAll(async () => {
      reportCall = await openIdeaCall(t, b.commissioner);
    });

    it('three distinct reporters hide an approved idea, audited without personal data', async () => {
      const id = await seedIdea(t, reportCall, { status: 'approved' });
      await report(id, 'first.reporter@mail.kz', 'spam').expect(202, { status: 'received' });
      await report(id, 'second.reporter@mail.kz', 'offensive').expect(202);
      expect((await stored(id)).status).toBe('approved');
      expect(ids(await get(`/public/idea-calls/${reportCall}/ideas?limit=100`).expect(200))).toContain(id);
      await report(id, 'third.reporter@mail.kz', 'does_not_belong').expect(202);

      expect(await stored(id)).toMatchObject({ status: 'hidden', decision_reason: 'reported' });
      expect(ids(await get(`/public/idea-calls/${reportCall}/ideas?limit=100`).expect(200))).not.toContain(
        id,
      );
      const events = await auditOf(id);
      expect(events).toEqual([
        {
          action: 'idea.hidden',
          actor_id: null,
          organisation_id: b.admin.organisationId,
          before: { status: 'approved' },
          after: { status: 'hidden', reason: 'reported', reports: 3 },
        },
      ]);
      const rows = await reportRows(id);
      expect(rows.map((r) => r.reason).sort()).toEqual(['does_not_belong', 'offensive', 'spam']);
      expect(JSON.stringify(rows)).not.toContain('@');
      const listed = await get(
        `/idea-calls/${reportCall}/ideas?status=hidden&limit=100`,
        b.commissioner,
      ).expect(200);
      expect((listed.body.items as { id: string }[]).find((i) => i.id === id)).toMatchObject({
        reports: 3,
        decisionReason: 'reported',
      });
      // Hidden: no longer public, so no longer reportable.
      expectProblem(await report(id, 'fourth.reporter@mail.kz'), 404, 'NOT_FOUND');
    });

    it('counts one reporter once however the address is spelt, and answers the repeat the same', async () => {
      const id = await seedIdea(t, reportCall, { status: 'approved' });
      await report(id, 'A.B+x@gmail.com', 'spam').expect(202, { status: 'received' });
      await report(id, 'ab@gmail.com', 'offensive').expect(202, { status: 'received' });
      await report(id, ' a.b@GoogleMail.com ', 'spam').expect(202, { status: 'received' });
      const rows = await reportRows(id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.reason).toBe('spam');
      expect(rows[0]!.reporter_hmac).toMatch(/^[0-9a-f]{64}$/);
      await report(id, 'other.one@mail.kz').expect(202);
      expect((await stored(id)).status).toBe('approved');
      expect(await auditOf(id)).toEqual([]);
    });

    it('unhiding makes the idea approved and its old reports no longer count toward hiding', async () => {
      const id = await seedIdea(t, reportCall, { status: 'approved' });
      for (const who of ['u1', 'u2', 'u3']) await report(id, `${who}@mail.kz`).expect(202);
      expect((await stored(id)).status).toBe('hidden');

      const res = await post(`/ideas/${id}/unhide`, b.commissioner).expect(200);
      expect(res.body).toMatchObject({ status: 'approved', decisionReason: null, reports: 3 });
      expect((await reportRows(id)).every((r) => r.reviewed_at !== null)).toBe(true);

      // Old reporters again count nothing; two new ones make two unreviewed reports.
      await report(id, 'u1@mail.kz').expect(202);
      await report(id, 'u4@mail.kz').expect(202);
      await report(id, 'u5@mail.kz').expect(202);
      expect((await stored(id)).status).toBe('approved');
      // A third new reporter hides it again.
      await report(id, 'u6@mail.kz').expect(202);
      expect((await stored(id)).status).toBe('hidden');
      expect((await auditOf(id)).map((e) => [e.action, e.actor_id])).toEqual([
        ['idea.hidden', null],
        ['idea.unhidden', b.commissioner.userId],
        ['idea.hidden', null],
      ]);
    });

    it('hides once when reporters come at the same time: the three first count, the rest find it hidden', async () => {
      const id = await seedIdea(t, reportCall, { status: 'approved' });
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => report(id, `together-${i}@mail.kz`)),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([202, 202, 202, 404, 404, 404]);
      expect(await reportRows(id)).toHaveLength(3);
      expect((await stored(id)).status).toBe('hidden');
      expect((await auditOf(id)).map((e) => e.action)).toEqual(['idea.hidden']);
    });

    it('tells the commissioners in-app (idea.reported), not the finance user', async () => {
      const id = await seedIdea(t, reportCall, {
        status: 'shortlisted',
        title: 'A reported shortlisted idea',
      });
      await report(id, 'notify.reporter@mail.kz', 'rights_infringement').expect(202);
      const n = await waitForNotification(t, b.commissioner, 'idea.reported', { ideaId: id });
      expect(n.data).toEqual({
        ideaId: id,
        callId: reportCall,
        callTitle: ideaCallBody().title,
        ideaTitle: 'A reported shortlisted idea',
        reason: 'rights_infringement',
        reports: 1,
      });
      expect(JSON.stringify(n)).not.toContain('notify.reporter');
      await waitForNotification(t, b.admin, 'idea.reported', { ideaId: id });
      expect(await notificationsAbout(t, b.finance, 'idea.reported', { ideaId: id })).toEqual([]);
      // Shortlisted ideas take reports but only approved ones are hidden by them.
      expect((await stored(id)).status).toBe('shortlisted');
    });

    it.each(['pending', 'rejected', 'hidden', 'withdrawn'])(
      'answers 404 for a %s idea and stores nothing',
      async (status) => {
        const id = await seedIdea(t, reportCall, { status });
        expectProblem(await report(id, 'someone@mail.kz'), 404, 'NOT_FOUND');
        expect(await reportRows(id)).toEqual([]);
      },
    );

    it('answers 404 for an idea of a cancelled call and for an unknown idea', async () => {
      const cancelled = await openIdeaCall(t, b.commissioner);
      const id = await seedIdea(t, cancelled, { status: 'approved' });
      await post(`/idea-calls/${cancelled}/cancel`, b.commissioner, { reason: 'Budget cut.' }).expect(200);
      expectProblem(await report(id, 'someone@mail.kz'), 404, 'NOT_FOUND');
      expect(await reportRows(id)).toEqual([]);
      expectProblem(await report('00000000-0000-4000-8000-000000000000', 'someone@mail.kz'), 404);
    });

    it('refuses a disposable address (422 EMAIL_DISPOSABLE) and stores nothing', async () => {
      const id = await seedIdea(t, reportCall, { status: 'approved' });
      expectProblem(await report(id, 'throwaway@mailinator.com'), 422, 'EMAIL_DISPOSABLE');
      expect(await reportRows(id)).toEqual([]);
    });

    it.each([
      ['no e-mail', { reason: 'spam' }],
      ['an invalid e-mail', { email: 'not-an-address', reason: 'spam' }],
      ['an unknown reason', { email: 'someone@mail.kz', reason: 'boring' }],
      ['an unknown field', { email: 'someone@mail.kz', reason: 'spam', name: 'Someone' }],
    ])('refuses %s (400)', async (_name, body) => {
      const id = await seedIdea(t, reportCall, { status: 'approved' });
      const res = await t
        .http()
        .post(`${API}/public/ideas/${id}/reports`)
        .set('X-Forwarded-For', nextIp())
        .send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await reportRows(id)).toEqual([]);
    });

    it('limits reports per client address (429 with Retry-After), other addresses go on', async () => {
      const id = await seedIdea(t, reportCall, { status: 'declined' });
      const ip = nextIp();
      for (let i = 0; i < REPORTS_PER_IP; i++)
        await report(id, `limited-${i}@mail.kz`, 'spam', ip).expect(202);
      const refused = await report(id, 'limited-last@mail.kz', 'spam', ip);
      expectProblem(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await reportRows(id)).toHaveLength(REPORTS_PER_IP);
      await report(id, 'limited-last@mail.kz', 'spam', nextIp()).expect(202);
      expect(await reportRows(id)).toHaveLength(REPORTS_PER_IP + 1);
    });
  });
});
