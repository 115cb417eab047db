import { randomUUID } from 'node:crypto';
import { bearer, type Actor } from '../factories';
import {
  activeContract,
  briefBody,
  createBroadcaster,
  createStudio,
  deliverAndAccept,
  deliverAndSubmit,
  publishBrief,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { openIdeaCall, seedIdea } from '../factories/ideas';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

interface Metric {
  n: number;
  medianDays: number | null;
  p90Days: number | null;
  open: number;
  oldestOpenDays: number | null;
  insufficientData: boolean;
}
interface Figures {
  organisationId: string;
  window: { from: string; to: string };
  questions: Metric & { answeredBeforeClose: number | null };
  decisions: Metric;
  reviews: Metric;
  payments: Metric;
  ideas: Metric;
}

const EMPTY: Metric = {
  n: 0,
  medianDays: null,
  p90Days: null,
  open: 0,
  oldestOpenDays: null,
  insufficientData: true,
};

/**
 * The figures are computed by the database clock; the fixtures move rows' times back with
 * `t.db` (the flows themselves run now), so every duration below is exact. Broadcaster A is the
 * issue's case (questions only), B has every kind of item within the window, C only items older
 * than 12 months (and one idea waiting for 360 days, inside it).
 */
describe('Responsiveness', () => {
  let t: TestApp;
  let a: Broadcaster;
  let b: Broadcaster;
  let c: Broadcaster;
  let s: Studio;

  const post = (who: Actor, path: string, body: Record<string, unknown> = {}) =>
    t
      .http()
      .post(`${API}${path}`)
      .set(...bearer(who))
      .send(body);
  const ok = async (
    who: Actor,
    path: string,
    body: Record<string, unknown> = {},
  ): Promise<{ id: string }> => {
    const res = await post(who, path, body);
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as { id: string };
  };
  const figures = async (who: Actor, of: Broadcaster): Promise<Figures> => {
    const res = await t
      .http()
      .get(`${API}/organisations/${of.admin.organisationId}/responsiveness`)
      .set(...bearer(who))
      .expect(200);
    return res.body as Figures;
  };
  const sql = (text: string, params: unknown[]) => t.db.query(text, params);

  /** `count` questions from the studio on the brief, `answered` of them answered. */
  async function questions(
    by: Broadcaster,
    briefId: string,
    count: number,
    answered: number,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await ok(s.producer, `/briefs/${briefId}/questions`, { text: `Question ${i + 1}?` })).id);
    }
    for (const id of ids.slice(0, answered))
      await ok(by.commissioner, `/questions/${id}/answer`, { text: 'Yes.' });
    return ids;
  }
  /** Asked `askedDaysAgo` days ago and, when `tookDays` is given, answered that many days later. */
  const backdateQuestion = (id: string, askedDaysAgo: number, tookDays?: number) =>
    sql(
      `UPDATE questions SET asked_at = now() - $2::float8 * interval '1 day',
              answered_at = CASE WHEN $3::float8 IS NULL THEN NULL
                                 ELSE now() - ($2::float8 - $3::float8) * interval '1 day' END
        WHERE id = $1`,
      [id, askedDaysAgo, tookDays ?? null],
    );
  /** The brief's deadlines `days` before `at` (an SQL expression over the brief `briefs`). */
  const backdateDeadline = (briefId: string, at: string, days: number) =>
    sql(
      `UPDATE briefs SET published_at = ${at} - ($2::float8 + 2) * interval '1 day',
              questions_close_at = ${at} - ($2::float8 + 1) * interval '1 day',
              bids_close_at = ${at} - $2::float8 * interval '1 day'
        WHERE id = $1`,
      [briefId, days],
    );
  /** A published brief whose bids close in two seconds. */
  const closingBrief = async (by: Broadcaster): Promise<{ id: string; closesAt: string }> => {
    const body = briefBody({ closesIn: 2, questionsIn: 1 });
    return { id: await publishBrief(t, by.commissioner, body), closesAt: body.bidsCloseAt as string };
  };
  const briefOf = async (contractId: string): Promise<string> =>
    (await sql(`SELECT brief_id FROM contracts WHERE id = $1`, [contractId])).rows[0].brief_id as string;
  const invoiceOf = (milestoneId: string): Promise<string> =>
    eventually(async () => {
      const { rows } = await sql(`SELECT id FROM invoices WHERE milestone_id = $1`, [milestoneId]);
      return rows[0]?.id as string | undefined;
    }, 20000);
  /** Pays the invoice through a payout (under the dual-approval threshold: approved at once). */
  async function pay(by: Broadcaster, invoiceId: string): Promise<void> {
    const res = await t
      .http()
      .post(`${API}/payouts`)
      .set(...bearer(by.finance))
      .set('Idempotency-Key', randomUUID())
      .send({ invoiceIds: [invoiceId] })
      .expect(201);
    await ok(by.finance, `/payouts/${res.body.id as string}/mark-paid`, {
      reference: 'KZ-TRANSFER-1',
      paidAt: new Date().toISOString().slice(0, 10),
    });
  }
  /** The milestone submitted `submittedDaysAgo` days ago and reviewed `tookDays` later (if it was). */
  const backdateMilestone = (id: string, submittedDaysAgo: number, tookDays?: number) =>
    sql(
      `UPDATE milestones SET submitted_at = now() - $2::float8 * interval '1 day',
              reviewed_at = CASE WHEN $3::float8 IS NULL THEN reviewed_at
                                 ELSE now() - ($2::float8 - $3::float8) * interval '1 day' END
        WHERE id = $1`,
      [id, submittedDaysAgo, tookDays ?? null],
    );
  /** The invoice issued `issuedDaysAgo` days ago and paid `tookDays` later (if it was). */
  const backdateInvoice = (id: string, issuedDaysAgo: number, tookDays?: number) =>
    sql(
      `UPDATE invoices SET issued_at = now() - $2::float8 * interval '1 day',
              paid_at = CASE WHEN $3::float8 IS NULL THEN paid_at
                             ELSE now() - ($2::float8 - $3::float8) * interval '1 day' END
        WHERE id = $1`,
      [id, issuedDaysAgo, tookDays ?? null],
    );
  /**
   * Moves an idea's times, each `column = expression` over the row's recorded (old) values: an
   * expression over a decision or answer the app did not record is NULL, and refused.
   */
  const setIdea = (id: string, set: string) => sql(`UPDATE ideas SET ${set} WHERE id = $1`, [id]);

  /** The case: 3 questions answered within a day, 7 left waiting for 30 days. */
  async function seedA(): Promise<void> {
    const briefId = await publishBrief(t, a.commissioner);
    const ids = await questions(a, briefId, 10, 3);
    const took = [0.25, 1, 1];
    for (const [i, id] of ids.entries()) await backdateQuestion(id, i < 3 ? 40 : 30, took[i]);
  }

  /** Every kind of item, measured and waiting, within the window. */
  async function seedB(): Promise<void> {
    const [c1, c2, cancelled, waiting, early, qBrief, qCancelled, callId] = await Promise.all([
      activeContract(t, b, s),
      activeContract(t, b, s),
      closingBrief(b),
      closingBrief(b),
      publishBrief(t, b.commissioner),
      publishBrief(t, b.commissioner),
      publishBrief(t, b.commissioner),
      openIdeaCall(t, b.commissioner),
    ]);
    // Questions: answered after 1, 2, 3, 4 and 10 days (4 of them before questionsCloseAt); one
    // unanswered on a brief since cancelled (it can no longer be answered: not waiting).
    const qs = await questions(b, qBrief, 5, 5);
    for (const [i, id] of qs.entries()) await backdateQuestion(id, 50, [1, 2, 3, 4, 10][i]);
    await sql(`UPDATE briefs SET questions_close_at = now() - interval '45 days' WHERE id = $1`, [qBrief]);
    await questions(b, qCancelled, 1, 0);
    await ok(b.commissioner, `/briefs/${qCancelled}/cancel`, { reason: 'Budget withdrawn' });

    // Decisions: two awards 3 and 7 days after the deadline, a cancellation 5 days after it, a
    // brief closed 10 days ago and still undecided; a brief cancelled before its deadline owed none.
    await backdateDeadline(
      await briefOf(c1.contractId),
      `(SELECT created_at FROM contracts WHERE brief_id = briefs.id)`,
      3,
    );
    await backdateDeadline(
      await briefOf(c2.contractId),
      `(SELECT created_at FROM contracts WHERE brief_id = briefs.id)`,
      7,
    );
    await Promise.all([waitUntilPast(t, cancelled.closesAt), waitUntilPast(t, waiting.closesAt)]);
    await ok(b.commissioner, `/briefs/${cancelled.id}/cancel`, { reason: 'No suitable bid' });
    await backdateDeadline(cancelled.id, 'cancelled_at', 5);
    await backdateDeadline(waiting.id, 'now()', 10);
    await ok(b.commissioner, `/briefs/${early}/cancel`, { reason: 'Plans changed' });

    // Reviews: accepted 2 and 4 days after submission, changes requested after 6 days, one
    // submitted 9 days ago and waiting. Payments: paid 7 days after issue, one open for 12 days.
    const [m1, m2, m3] = c1.milestones.map((m) => m.id);
    await deliverAndAccept(t, b, s, m1!);
    await deliverAndAccept(t, b, s, m2!);
    await deliverAndSubmit(t, s, m3!);
    const changed = c2.milestones[0]!.id;
    await deliverAndSubmit(t, s, changed);
    await ok(b.commissioner, `/milestones/${changed}/request-changes`, { notes: 'Please fix the titles.' });
    await backdateMilestone(m1!, 20, 2);
    await backdateMilestone(m2!, 20, 4);
    await backdateMilestone(changed, 20, 6);
    await backdateMilestone(m3!, 9);
    const [paid, unpaid] = await Promise.all([invoiceOf(m1!), invoiceOf(m2!)]);
    await pay(b, paid);
    await backdateInvoice(paid, 15, 7);
    await backdateInvoice(unpaid, 12);

    // Ideas: approved after 2 days; answered (still pending) after 5; rejected after 3 and
    // answered after 13 (the first counts); one pending for 8 days; a withdrawn one waits no more.
    const [approved, answered, rejected, pending, withdrawn] = await Promise.all(
      ['pending', 'pending', 'pending', 'pending', 'withdrawn'].map((status) =>
        seedIdea(t, callId, { status }),
      ),
    );
    await ok(b.commissioner, `/ideas/${approved}/approve`);
    await ok(b.commissioner, `/ideas/${answered}/answer`, { text: 'Thank you, we are considering it.' });
    await ok(b.commissioner, `/ideas/${rejected}/reject`, { reason: 'Outside the call' });
    await ok(b.commissioner, `/ideas/${rejected}/answer`, { text: 'It does not fit this call.' });
    await setIdea(approved!, `received_at = decided_at - interval '2 days'`);
    await setIdea(answered!, `received_at = answered_at - interval '5 days'`);
    await setIdea(
      rejected!,
      `received_at = decided_at - interval '30 days', decided_at = decided_at - interval '27 days',
       answered_at = decided_at - interval '17 days'`,
    );
    await setIdea(pending!, `received_at = now() - interval '8 days'`);
    await setIdea(withdrawn!, `received_at = now() - interval '20 days'`);
  }

  /** One of every item, measured and waiting, all older than 12 months; one idea waiting 360 days. */
  async function seedC(): Promise<void> {
    const [contract, waiting, qBrief, callId] = await Promise.all([
      activeContract(t, c, s),
      closingBrief(c),
      publishBrief(t, c.commissioner),
      openIdeaCall(t, c.commissioner),
    ]);
    const [answeredQ, openQ] = await questions(c, qBrief, 2, 1);
    await backdateQuestion(answeredQ!, 401, 1);
    await backdateQuestion(openQ!, 400);

    const briefId = await briefOf(contract.contractId);
    await sql(`UPDATE contracts SET created_at = now() - interval '400 days' WHERE id = $1`, [
      contract.contractId,
    ]);
    await backdateDeadline(briefId, 'now()', 402);
    await waitUntilPast(t, waiting.closesAt);
    await backdateDeadline(waiting.id, 'now()', 400);

    const [m1, m2, m3] = contract.milestones.map((m) => m.id);
    await deliverAndAccept(t, c, s, m1!);
    await deliverAndAccept(t, c, s, m2!);
    await deliverAndSubmit(t, s, m3!);
    await backdateMilestone(m1!, 410, 1);
    await backdateMilestone(m2!, 410, 1);
    await backdateMilestone(m3!, 400);
    const [paid, unpaid] = await Promise.all([invoiceOf(m1!), invoiceOf(m2!)]);
    await pay(c, paid);
    await backdateInvoice(paid, 405, 2);
    await backdateInvoice(unpaid, 405);

    const [decided, old, recent] = await Promise.all(
      [0, 1, 2].map(() => seedIdea(t, callId, { status: 'pending' })),
    );
    await ok(c.commissioner, `/ideas/${decided}/approve`);
    await setIdea(
      decided!,
      `received_at = decided_at - interval '401 days', decided_at = decided_at - interval '400 days'`,
    );
    await setIdea(old!, `received_at = now() - interval '400 days'`);
    await setIdea(recent!, `received_at = now() - interval '360 days'`);
  }

  beforeAll(async () => {
    t = await startApp({
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      PAYOUT_DUAL_APPROVAL_THRESHOLD: String(1_000_000_000_000),
    });
    [a, b, c, s] = await Promise.all([
      createBroadcaster(t),
      createBroadcaster(t),
      createBroadcaster(t),
      createStudio(t, { genres: ['documentary'] }),
    ]);
    await Promise.all([seedA(), seedB(), seedC()]);
  }, 180_000);
  afterAll(() => t.close());

  it('shows a median of 1 day and 7 questions waiting 30 days, with too few answers to judge', async () => {
    const f = await figures(s.producer, a);
    expect(f.questions).toEqual({
      n: 3,
      medianDays: expect.any(Number),
      p90Days: expect.any(Number),
      open: 7,
      oldestOpenDays: 30,
      insufficientData: true,
      answeredBeforeClose: 1,
    });
    expect(f.questions.medianDays).toBeCloseTo(1, 2);
    expect(f.questions.p90Days).toBeCloseTo(1, 2);
    expect([f.decisions, f.reviews, f.payments, f.ideas]).toEqual([EMPTY, EMPTY, EMPTY, EMPTY]);
  });

  it('gives the median, p90 and share answered before questionsCloseAt of 5 answers', async () => {
    const f = await figures(s.producer, b);
    // percentile_cont over 1, 2, 3, 4, 10: p90 = 4 + 0.6 × (10 − 4)
    expect(f.questions).toEqual({
      n: 5,
      medianDays: 3,
      p90Days: 7.6,
      open: 0,
      oldestOpenDays: null,
      insufficientData: false,
      answeredBeforeClose: 0.8,
    });
  });

  it('measures decisions after bidsCloseAt (awards and cancellations) and counts undecided briefs', async () => {
    const f = await figures(s.producer, b);
    expect(f.decisions).toEqual({
      n: 3,
      medianDays: 5,
      p90Days: 6.6,
      open: 1,
      oldestOpenDays: 10,
      insufficientData: true,
    });
  });

  it('measures milestone reviews (accepted or changes requested) and counts milestones awaiting one', async () => {
    const f = await figures(s.producer, b);
    expect(f.reviews).toEqual({
      n: 3,
      medianDays: 4,
      p90Days: 5.6,
      open: 1,
      oldestOpenDays: 9,
      insufficientData: true,
    });
  });

  it('measures payment of invoices and counts unpaid ones', async () => {
    const f = await figures(s.producer, b);
    expect(f.payments).toEqual({
      n: 1,
      medianDays: 7,
      p90Days: 7,
      open: 1,
      oldestOpenDays: 12,
      insufficientData: true,
    });
  });

  it('measures ideas to the first of their decision and their answer, and counts pending ones', async () => {
    const f = await figures(s.producer, b);
    expect(f.ideas).toEqual({
      n: 3,
      medianDays: 3,
      p90Days: 4.6,
      open: 1,
      oldestOpenDays: 8,
      insufficientData: true,
    });
  });

  it('leaves out items older than 12 months', async () => {
    const f = await figures(s.producer, c);
    expect(f).toEqual({
      organisationId: c.admin.organisationId,
      window: f.window,
      questions: { ...EMPTY, answeredBeforeClose: null },
      decisions: EMPTY,
      reviews: EMPTY,
      payments: EMPTY,
      // waiting for 360 days: inside the window
      ideas: { ...EMPTY, open: 1, oldestOpenDays: 360 },
    });
  });

  it('covers the last 12 months by the database clock', async () => {
    const f = await figures(s.producer, b);
    expect(f.organisationId).toBe(b.admin.organisationId);
    const { rows } = await sql(
      `SELECT $2::timestamptz - interval '12 months' = $1::timestamptz AS twelve_months,
              now() - $2::timestamptz BETWEEN interval '0' AND interval '1 minute' AS recent`,
      [f.window.from, f.window.to],
    );
    expect(rows[0]).toEqual({ twelve_months: true, recent: true });
    expect(f.window.to).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("lets any signed-in user read a broadcaster's figures (the same for all)", async () => {
    const asStudio = await figures(s.admin, b);
    const asOther = await figures(a.finance, b);
    const asOwn = await figures(b.commissioner, b);
    for (const f of [asOther, asOwn]) {
      expect({ ...f, window: null }).toEqual({ ...asStudio, window: null });
    }
  });

  it('answers 404 for a studio or an unknown organisation', async () => {
    for (const id of [s.admin.organisationId, randomUUID()]) {
      const res = await t
        .http()
        .get(`${API}/organisations/${id}/responsiveness`)
        .set(...bearer(b.commissioner));
      expectProblem(res, 404, 'NOT_FOUND');
    }
  });

  it('answers 401 without a token', async () => {
    const res = await t.http().get(`${API}/organisations/${b.admin.organisationId}/responsiveness`);
    expectProblem(res, 401);
  });
});
