import { randomBytes } from 'node:crypto';
import { hashLinkToken } from '../../src/modules/ideas/idea-mail.service';
import { bearer, loginOperator, type Actor } from '../factories';
import { createBroadcaster, type Broadcaster } from '../factories/commissioning';
import { openIdeaCall, seedIdea, type SeedIdea } from '../factories/ideas';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { mailsTo } from '../utils/mail';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Ideas: conversion into a brief, and the submitter’s withdraw and erase links', () => {
  let t: TestApp;
  let b: Broadcaster;
  let b2: Broadcaster;
  let callId: string;

  const post = (path: string, who: Actor | null, body?: object) => {
    const r = t.http().post(`${API}${path}`);
    if (who) r.set(...bearer(who));
    return body === undefined ? r : r.send(body);
  };
  const get = (path: string, who: Actor) =>
    t
      .http()
      .get(`${API}${path}`)
      .set(...bearer(who));
  const convert = (id: string, who: Actor = b.commissioner) => post(`/ideas/${id}/convert`, who);

  let n = 0;
  /** A seeded idea whose submitter is unique to the test (name and address findable anywhere). */
  const idea = async (o: SeedIdea = {}): Promise<{ id: string; name: string; email: string }> => {
    n += 1;
    const tag = randomBytes(4).toString('hex');
    const name = `Aigerim Submitter ${tag}`;
    const email = `submitter-${n}-${tag}@mail.kz`;
    const id = await seedIdea(t, callId, { name, email, ...o });
    return { id, name, email };
  };

  /**
   * The withdraw/erase token. The receipt e-mail makes one when it is sent (IdeaMailService, which
   * stores only its hash); seeded ideas get no receipt, so the test stores the hash itself, as the
   * sender does. After merging, the lead may switch this to the token of the receipt e-mail.
   */
  const manageToken = async (ideaId: string): Promise<string> => {
    const token = randomBytes(32).toString('base64url');
    await t.db.query('UPDATE idea_submitters SET manage_token_hash = $2 WHERE idea_id = $1', [
      ideaId,
      hashLinkToken(token),
    ]);
    return token;
  };

  const ideaRow = async (id: string) => {
    const { rows } = await t.db.query<{
      status: string;
      converted_brief_id: string | null;
      erased_at: Date | null;
      sha256: string;
      signature: string;
      key_id: string;
      received_at: Date;
      title: string;
      logline: string;
      description: string;
    }>(
      `SELECT status, converted_brief_id, erased_at, sha256, signature, key_id, received_at,
              title, logline, description
         FROM ideas WHERE id = $1`,
      [id],
    );
    return rows[0]!;
  };

  const briefsFrom = async (ideaId: string): Promise<number> => {
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM briefs WHERE origin_idea_id = $1',
      [ideaId],
    );
    return rows[0]!.n;
  };

  const submitterRows = async (ideaId: string): Promise<number> => {
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM idea_submitters WHERE idea_id = $1',
      [ideaId],
    );
    return rows[0]!.n;
  };

  const auditOf = async (ideaId: string) => {
    const { rows } = await t.db.query<{
      action: string;
      actor_id: string | null;
      organisation_id: string | null;
      before: unknown;
      after: unknown;
    }>(
      `SELECT action, actor_id, organisation_id, before, after FROM audit_events
        WHERE entity_type = 'idea' AND entity_id = $1 ORDER BY seq`,
      [ideaId],
    );
    return rows;
  };

  /** Every audit event's before/after, as text, for a search for personal data. */
  const auditText = async (): Promise<string> => {
    const { rows } = await t.db.query<{ text: string }>(
      `SELECT coalesce(string_agg(coalesce(before::text, '') || ' ' || coalesce(after::text, ''), ' '), '') AS text
         FROM audit_events`,
    );
    return rows[0]!.text;
  };

  beforeAll(async () => {
    t = await startApp();
    [b, b2] = await Promise.all([createBroadcaster(t), createBroadcaster(t)]);
    callId = await openIdeaCall(t, b.commissioner, { genres: ['Documentary', 'history'] });
  });
  afterAll(() => t.close());

  describe('POST /ideas/{id}/convert', () => {
    it('makes exactly one draft brief out of ten concurrent conversions; the nine others get 409 with its id', async () => {
      const i = await idea({ status: 'shortlisted', credit: true });
      const seeded = await ideaRow(i.id);

      const answers = await Promise.all(Array.from({ length: 10 }, () => convert(i.id)));

      const created = answers.filter((r) => r.status === 201);
      expect(created).toHaveLength(1);
      const briefId = created[0]!.body.briefId as string;
      expect(created[0]!.body).toEqual({ briefId: expect.stringMatching(UUID) });
      const losers = answers.filter((r) => r.status !== 201);
      expect(losers).toHaveLength(9);
      for (const r of losers) {
        expectProblem(r, 409, 'IDEA_CONVERTED');
        expect(r.body.briefId).toBe(briefId);
      }
      expect(await briefsFrom(i.id)).toBe(1);
      expect(await ideaRow(i.id)).toMatchObject({ status: 'converted', converted_brief_id: briefId });

      const brief = await get(`/briefs/${briefId}`, b.commissioner).expect(200);
      expect(brief.body).toMatchObject({
        id: briefId,
        status: 'draft',
        broadcaster: { id: b.admin.organisationId },
        title: seeded.title,
        synopsis: `${seeded.logline}\n\n${seeded.description}`,
        genre: 'documentary',
        languages: ['kk', 'ru'],
        budget: null,
        publishedAt: null,
        origin: { ideaId: i.id, credit: { name: i.name } },
      });
      expect((brief.body.synopsis as string).startsWith(seeded.logline)).toBe(true);
      expect(await auditOf(i.id)).toEqual([
        {
          action: 'idea.converted',
          actor_id: b.commissioner.userId,
          organisation_id: b.admin.organisationId,
          before: { status: 'shortlisted' },
          after: { status: 'converted', briefId },
        },
      ]);

      // Later, once more: still 409 with the brief's id, and still one brief.
      const again = await convert(i.id);
      expectProblem(again, 409, 'IDEA_CONVERTED');
      expect(again.body.briefId).toBe(briefId);
      expect(await briefsFrom(i.id)).toBe(1);
    });

    it('credits nobody when the submitter did not agree to be named', async () => {
      const i = await idea({ status: 'shortlisted', credit: false });
      const res = await convert(i.id).expect(201);
      const brief = await get(`/briefs/${res.body.briefId as string}`, b.commissioner).expect(200);
      expect(brief.body.origin).toEqual({ ideaId: i.id, credit: null });
      const { rows } = await t.db.query<{ origin_credit_name: string | null }>(
        'SELECT origin_credit_name FROM briefs WHERE id = $1',
        [res.body.briefId],
      );
      expect(rows[0]!.origin_credit_name).toBeNull();
    });

    it('tells the submitter by e-mail', async () => {
      const i = await idea({ status: 'shortlisted' });
      const { title } = await ideaRow(i.id);
      await convert(i.id).expect(201);
      const mails = await eventually(async () => {
        const m = await mailsTo(t, i.email);
        return m.length ? m : undefined;
      });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toContain(title);
    });

    it.each(['pending', 'approved', 'rejected', 'declined', 'hidden', 'withdrawn'])(
      'refuses an idea that is %s with 409 IDEA_STATE_CONFLICT and makes no brief',
      async (status) => {
        const i = await idea({ status });
        expectProblem(await convert(i.id), 409, 'IDEA_STATE_CONFLICT');
        expect(await briefsFrom(i.id)).toBe(0);
        expect(await ideaRow(i.id)).toMatchObject({ status, converted_brief_id: null });
      },
    );

    it("answers another broadcaster's commissioner 404 and the broadcaster's finance 403", async () => {
      const i = await idea({ status: 'shortlisted' });
      expectProblem(await convert(i.id, b2.commissioner), 404, 'NOT_FOUND');
      expectProblem(await convert(i.id, b.finance), 403, 'FORBIDDEN');
      expectProblem(await post(`/ideas/${i.id}/convert`, null), 401);
      expect(await briefsFrom(i.id)).toBe(0);
      expect((await ideaRow(i.id)).status).toBe('shortlisted');
    });
  });

  describe('POST /public/ideas/withdraw', () => {
    it.each(['pending', 'approved'])(
      'withdraws an idea that is %s, audited without personal data',
      async (status) => {
        const i = await idea({ status });
        const token = await manageToken(i.id);
        const res = await post('/public/ideas/withdraw', null, { token }).expect(200);
        expect(res.body).toEqual({ ideaId: i.id, status: 'withdrawn' });
        expect((await ideaRow(i.id)).status).toBe('withdrawn');
        expect(await auditOf(i.id)).toEqual([
          {
            action: 'idea.withdrawn',
            actor_id: null,
            organisation_id: b.admin.organisationId,
            before: { status },
            after: { status: 'withdrawn' },
          },
        ]);
        // Withdrawn is final: the link cannot withdraw it twice.
        expectProblem(await post('/public/ideas/withdraw', null, { token }), 409, 'IDEA_STATE_CONFLICT');
      },
    );

    it.each(['rejected', 'shortlisted', 'converted'])(
      'refuses to withdraw an idea that is %s (409)',
      async (status) => {
        const i = await idea({ status });
        const token = await manageToken(i.id);
        expectProblem(await post('/public/ideas/withdraw', null, { token }), 409, 'IDEA_STATE_CONFLICT');
        expect((await ideaRow(i.id)).status).toBe(status);
        expect(await auditOf(i.id)).toEqual([]);
      },
    );

    it('answers an unknown token 410 MANAGE_TOKEN_INVALID and a malformed one 400', async () => {
      const i = await idea();
      await manageToken(i.id);
      const unknown = randomBytes(32).toString('base64url');
      expectProblem(
        await post('/public/ideas/withdraw', null, { token: unknown }),
        410,
        'MANAGE_TOKEN_INVALID',
      );
      expectProblem(await post('/public/ideas/erase', null, { token: unknown }), 410, 'MANAGE_TOKEN_INVALID');
      expectProblem(await post('/public/ideas/withdraw', null, { token: 'not a token!' }), 400);
      expectProblem(await post('/public/ideas/withdraw', null, {}), 400);
      expect((await ideaRow(i.id)).status).toBe('pending');
    });
  });

  describe('POST /public/ideas/erase', () => {
    it('deletes the personal data, withdraws the idea, keeps the receipt, and the link stops working', async () => {
      const i = await idea({ status: 'approved' });
      const before = await ideaRow(i.id);
      const token = await manageToken(i.id);

      const res = await post('/public/ideas/erase', null, { token }).expect(200);

      expect(res.body).toEqual({ ideaId: i.id, erased: true });
      expect(await submitterRows(i.id)).toBe(0);
      const after = await ideaRow(i.id);
      expect(after.status).toBe('withdrawn');
      expect(after.erased_at).toBeInstanceOf(Date);
      // What the receipt is checked against stays as it was.
      expect({
        sha256: after.sha256,
        signature: after.signature,
        key_id: after.key_id,
        received_at: after.received_at.toISOString(),
        text: [after.title, after.logline, after.description],
      }).toEqual({
        sha256: before.sha256,
        signature: before.signature,
        key_id: before.key_id,
        received_at: before.received_at.toISOString(),
        text: [before.title, before.logline, before.description],
      });
      expect(await auditOf(i.id)).toEqual([
        {
          action: 'idea.erased',
          actor_id: null,
          organisation_id: b.admin.organisationId,
          before: { status: 'approved' },
          after: { status: 'withdrawn', erased: true },
        },
      ]);
      expectProblem(await post('/public/ideas/erase', null, { token }), 410, 'MANAGE_TOKEN_INVALID');
      expectProblem(await post('/public/ideas/withdraw', null, { token }), 410, 'MANAGE_TOKEN_INVALID');
    });

    it('erases a rejected idea’s submitter and leaves its status', async () => {
      const i = await idea({ status: 'rejected' });
      const token = await manageToken(i.id);
      await post('/public/ideas/erase', null, { token }).expect(200);
      expect(await submitterRows(i.id)).toBe(0);
      expect(await ideaRow(i.id)).toMatchObject({ status: 'rejected', erased_at: expect.any(Date) });
    });

    it('takes the name off the brief the idea became; the audit log stays valid and never held the name or e-mail', async () => {
      const i = await idea({ status: 'shortlisted', credit: true });
      const token = await manageToken(i.id);
      const { body } = await convert(i.id).expect(201);
      const briefId = body.briefId as string;
      // An edit of the draft snapshots the brief into the audit log: without the credited name.
      await t
        .http()
        .patch(`${API}/briefs/${briefId}`)
        .set(...bearer(b.commissioner))
        .send({ episodes: 6 })
        .expect(200);
      const credited = await get(`/briefs/${briefId}`, b.commissioner).expect(200);
      expect(credited.body.origin).toEqual({ ideaId: i.id, credit: { name: i.name } });

      await post('/public/ideas/erase', null, { token }).expect(200);

      const erased = await get(`/briefs/${briefId}`, b.commissioner).expect(200);
      expect(erased.body.origin).toEqual({ ideaId: i.id, credit: null });
      expect(await ideaRow(i.id)).toMatchObject({ status: 'converted', erased_at: expect.any(Date) });
      expect(await submitterRows(i.id)).toBe(0);

      const operator = await loginOperator(t);
      const verify = await get('/audit/verify', operator).expect(200);
      expect(verify.body).toMatchObject({ valid: true });
      const audit = await auditText();
      expect(audit).toContain(i.id);
      expect(audit).not.toContain(i.name);
      expect(audit).not.toContain(i.email);
    });
  });

  describe('after all of the above', () => {
    it('has no submitter’s name or e-mail anywhere in the audit log', async () => {
      const text = await auditText();
      const { rows } = await t.db.query<{ name: string; email: string }>(
        'SELECT name, email FROM idea_submitters',
      );
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) {
        expect(text).not.toContain(r.name);
        expect(text).not.toContain(r.email);
      }
    });
  });
});
