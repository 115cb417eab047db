import { createHash, randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, loginOperator, type Actor } from '../factories';
import {
  bidBody,
  briefBody,
  createBroadcaster,
  createStudio,
  publishBrief,
  submitBid,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { api, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { notificationsOf } from '../utils/notifications';

const HEX64 = /^[0-9a-f]{64}$/;

interface SubmittedBid {
  id: string;
  receipt: { commitment: string; nonce: string; submittedAt: string };
}
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Responses on bid routes are never cached, successes and errors alike. */
function expectNoStore(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
}

/** The test's own canonical JSON: keys sorted at every level, leaves as JSON.stringify writes them. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256(nonce + "." + canonical content) over the bid as the API returns it. */
function recomputeCommitment(bid: Record<string, unknown>, nonce: string): string {
  const content = {
    price: bid.price,
    breakdown: bid.breakdown,
    milestones: bid.milestones,
    creativeApproach: bid.creativeApproach,
    team: bid.team,
  };
  return createHash('sha256')
    .update(`${nonce}.${canonical(content)}`, 'utf8')
    .digest('hex');
}

/** A bid body whose breakdown and milestones stay consistent with `price`. */
const priced = (price: number): Record<string, unknown> => {
  const body = bidBody(price);
  return { price: body.price, breakdown: body.breakdown };
};

describe('Bids', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s1: Studio;
  let s2: Studio;
  let s3: Studio;
  let s4: Studio;
  let unverified: Studio;
  let foreign: Studio;
  let operator: Actor;

  const createBid = (by: Actor, briefId: string, body: Record<string, unknown>): Promise<Response> =>
    t
      .http()
      .post(api(`/briefs/${briefId}/bids`))
      .set(...bearer(by))
      .send(body);
  const patchBid = (by: Actor, bidId: string, body: Record<string, unknown>): Promise<Response> =>
    t
      .http()
      .patch(api(`/bids/${bidId}`))
      .set(...bearer(by))
      .send(body);
  const act = (by: Actor, bidId: string, action: 'submit' | 'withdraw'): Promise<Response> =>
    t
      .http()
      .post(api(`/bids/${bidId}/${action}`))
      .set(...bearer(by));
  const get = (by: Actor | null, path: string): Promise<Response> => {
    const req = t.http().get(api(path));
    return by ? req.set(...bearer(by)) : req;
  };
  const bidsOf = async (briefId: string, studioId?: string): Promise<number> => {
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM bids WHERE brief_id = $1 AND ($2::uuid IS NULL OR studio_id = $2)',
      [briefId, studioId ?? null],
    );
    return rows[0]!.n;
  };

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    b = await createBroadcaster(t);
    [s1, s2, s3, s4, unverified, foreign, operator] = await Promise.all([
      createStudio(t),
      createStudio(t),
      createStudio(t),
      createStudio(t),
      createStudio(t, { verified: false }),
      createStudio(t, { country: 'GB' }),
      loginOperator(t),
    ]);
  });
  afterAll(() => t.close());

  describe('POST /briefs/{id}/bids', () => {
    let briefId: string;
    beforeAll(async () => {
      briefId = await publishBrief(t, b.commissioner);
    });

    it('creates a draft for a producer and a submitted bid for a studio admin', async () => {
      const draft = await createBid(s1.producer, briefId, bidBody());
      expect(draft.status).toBe(201);
      expectNoStore(draft);
      expect(draft.body).toMatchObject({
        briefId,
        studio: { id: s1.admin.organisationId },
        status: 'draft',
        version: 1,
        price: { amount: 100_000_000_00, currency: 'KZT' },
        overBudget: false,
        receipt: null,
      });

      const submitted = await createBid(s2.admin, briefId, { ...bidBody(), submit: true });
      expect(submitted.status).toBe(201);
      expect(submitted.body.status).toBe('submitted');
      expect(submitted.body.receipt).toEqual({
        commitment: expect.stringMatching(HEX64),
        nonce: expect.stringMatching(HEX64),
        submittedAt: expect.stringMatching(ISO),
      });
    });

    it('refuses studio finance, every broadcaster user and the operator with 403', async () => {
      for (const who of [s3.finance, b.admin, b.commissioner, b.finance, operator]) {
        const res = await createBid(who, briefId, bidBody());
        expectProblem(res, 403, 'FORBIDDEN');
        expectNoStore(res);
      }
      expect(await bidsOf(briefId, s3.admin.organisationId)).toBe(0);
      expect(await bidsOf(briefId, b.admin.organisationId)).toBe(0);
    });

    it('refuses an unverified studio invited to a brief with 403 STUDIO_NOT_VERIFIED', async () => {
      const invited = await publishInvited([unverified.admin.organisationId]);
      const res = await createBid(unverified.producer, invited, bidBody());
      expectProblem(res, 403, 'STUDIO_NOT_VERIFIED');
      expectNoStore(res);
      expect(await bidsOf(invited)).toBe(0);
    });

    it('answers an unverified studio with 404 on an open brief, which it cannot see', async () => {
      const res = await createBid(unverified.producer, briefId, bidBody());
      expectProblem(res, 404, 'NOT_FOUND');
      expect(await bidsOf(briefId, unverified.admin.organisationId)).toBe(0);
    });

    it('refuses a second bid by the same studio with 409 BID_EXISTS', async () => {
      const res = await createBid(s1.admin, briefId, { ...bidBody(90_000_000_00), submit: true });
      expectProblem(res, 409, 'BID_EXISTS');
      expectNoStore(res);
      expect(await bidsOf(briefId, s1.admin.organisationId)).toBe(1);
    });

    it('admits only Kazakh studios with a valid BIN to a domestic-only brief', async () => {
      const domestic = await publishBrief(t, b.commissioner, { ...briefBody(), domesticOnly: true });
      const refused = await createBid(foreign.producer, domestic, bidBody());
      expectProblem(refused, 422, 'DOMESTIC_ONLY');
      expectNoStore(refused);
      expect(await bidsOf(domestic)).toBe(0);

      const accepted = await createBid(s3.producer, domestic, bidBody());
      expect(accepted.status).toBe(201);
    });

    it('answers a studio that is not invited to an invited brief with 404', async () => {
      const invited = await publishInvited([s2.admin.organisationId]);
      const res = await createBid(s3.producer, invited, bidBody());
      expectProblem(res, 404, 'NOT_FOUND');
      expectNoStore(res);
      expect(await bidsOf(invited)).toBe(0);
    });

    it('refuses a breakdown that does not sum to the price with 422 BREAKDOWN_MISMATCH', async () => {
      const body = bidBody(100_000_000_00);
      const res = await createBid(s3.producer, briefId, {
        ...body,
        breakdown: [{ label: 'Production', amount: { amount: 100_000_000_00 - 1, currency: 'KZT' } }],
      });
      expectProblem(res, 422, 'BREAKDOWN_MISMATCH');
      expect(await bidsOf(briefId, s3.admin.organisationId)).toBe(0);
    });

    it('refuses milestone shares that do not sum to 100 with 422 MILESTONE_SHARES', async () => {
      const body = bidBody();
      const milestones = (body.milestones as { share: number }[]).map((m, i) => ({
        ...m,
        share: i ? 30 : 39,
      }));
      const res = await createBid(s3.producer, briefId, { ...body, milestones });
      expectProblem(res, 422, 'MILESTONE_SHARES');
      expect(await bidsOf(briefId, s3.admin.organisationId)).toBe(0);
    });

    it('refuses amounts in another currency than the brief with 422 CURRENCY_MISMATCH', async () => {
      const price = 100_000_000_00;
      const usd = (amount: number) => ({ amount, currency: 'USD' });
      const res = await createBid(s3.producer, briefId, {
        ...bidBody(price),
        price: usd(price),
        breakdown: [{ label: 'All', amount: usd(price) }],
      });
      expectProblem(res, 422, 'CURRENCY_MISMATCH');
      expect(await bidsOf(briefId, s3.admin.organisationId)).toBe(0);
    });

    it.each([
      ['a fractional amount', 1.5],
      ['a negative amount', -100],
      ['an amount above 2^53', 2 ** 53 + 2],
    ])('rejects %s with 400', async (_label, amount) => {
      const res = await createBid(s3.producer, briefId, {
        ...bidBody(),
        price: { amount, currency: 'KZT' },
        breakdown: [{ label: 'All', amount: { amount, currency: 'KZT' } }],
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expectNoStore(res);
      expect(await bidsOf(briefId, s3.admin.organisationId)).toBe(0);
    });

    it('rejects a client-supplied submittedAt, an unknown field, with 400', async () => {
      const res = await createBid(s3.producer, briefId, {
        ...bidBody(),
        submit: true,
        submittedAt: new Date(Date.now() - 86400_000).toISOString(),
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await bidsOf(briefId, s3.admin.organisationId)).toBe(0);
    });

    it('accepts a price above the budget maximum and flags it overBudget', async () => {
      const res = await createBid(s4.producer, briefId, { ...bidBody(120_000_000_01), submit: true });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'submitted',
        price: { amount: 120_000_000_01, currency: 'KZT' },
        overBudget: true,
      });
    });
  });

  async function publishInvited(studioIds: string[]): Promise<string> {
    const id = await publishBrief(t, b.commissioner, briefBody({ visibility: 'invited' }));
    await t
      .http()
      .post(api(`/briefs/${id}/invitations`))
      .set(...bearer(b.commissioner))
      .send({ studioIds })
      .expect(201);
    return id;
  }

  describe('Before the deadline', () => {
    let briefId: string;
    beforeAll(async () => {
      briefId = await publishBrief(t, b.commissioner);
    });

    it('edits, submits, re-seals on edit, withdraws and re-submits, keeping every version', async () => {
      const created = await createBid(s1.producer, briefId, bidBody());
      expect(created.status).toBe(201);
      const bidId = created.body.id as string;

      const edited = await patchBid(s1.producer, bidId, {
        creativeApproach: 'Observational, now in colour.',
      });
      expect(edited.status).toBe(200);
      expectNoStore(edited);
      expect(edited.body).toMatchObject({
        status: 'draft',
        version: 2,
        receipt: null,
        creativeApproach: 'Observational, now in colour.',
      });

      const submitted = await act(s1.producer, bidId, 'submit');
      expect(submitted.status).toBe(200);
      expectNoStore(submitted);
      expect(submitted.body).toMatchObject({ status: 'submitted', version: 3 });
      const first = submitted.body.receipt;
      expect(first).toEqual({
        commitment: expect.stringMatching(HEX64),
        nonce: expect.stringMatching(HEX64),
        submittedAt: expect.stringMatching(ISO),
      });

      const resealed = await patchBid(s1.producer, bidId, priced(95_000_000_00));
      expect(resealed.status).toBe(200);
      expect(resealed.body).toMatchObject({
        status: 'submitted',
        version: 4,
        price: { amount: 95_000_000_00, currency: 'KZT' },
      });
      const second = resealed.body.receipt;
      expect(second.commitment).toMatch(HEX64);
      expect(second.nonce).not.toBe(first.nonce);
      expect(second.commitment).not.toBe(first.commitment);

      const again = await act(s1.producer, bidId, 'submit');
      expectProblem(again, 409, 'BID_STATE_CONFLICT');
      expectNoStore(again);

      const withdrawn = await act(s1.producer, bidId, 'withdraw');
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({ status: 'withdrawn', version: 5, receipt: null });

      const resubmitted = await act(s1.admin, bidId, 'submit');
      expect(resubmitted.status).toBe(200);
      expect(resubmitted.body).toMatchObject({ status: 'submitted', version: 6 });
      expect(resubmitted.body.receipt.nonce).not.toBe(second.nonce);

      const { rows } = await t.db.query<{ version: number; status: string }>(
        'SELECT version, status FROM bid_versions WHERE bid_id = $1 ORDER BY version',
        [bidId],
      );
      expect(rows).toEqual([
        { version: 1, status: 'draft' },
        { version: 2, status: 'draft' },
        { version: 3, status: 'submitted' },
        { version: 4, status: 'submitted' },
        { version: 5, status: 'withdrawn' },
        { version: 6, status: 'submitted' },
      ]);
    });

    it("answers another studio's edit, submit and withdraw with 404 and changes nothing", async () => {
      const own = await createBid(s2.producer, briefId, bidBody());
      expect(own.status).toBe(201);
      const bidId = own.body.id as string;
      const attempts = [
        await patchBid(s3.producer, bidId, { team: 'Somebody else' }),
        await act(s3.producer, bidId, 'submit'),
        await act(s3.admin, bidId, 'withdraw'),
      ];
      for (const res of attempts) {
        expectProblem(res, 404, 'NOT_FOUND');
        expectNoStore(res);
      }
      const after = await get(s2.producer, `/bids/${bidId}`);
      expect(after.body).toMatchObject({ status: 'draft', version: 1, team: own.body.team });
    });

    it('rejects a client-supplied receipt or status on PATCH with 400', async () => {
      const own = await createBid(s3.producer, briefId, bidBody());
      for (const extra of [{ status: 'submitted' }, { receipt: { commitment: '0'.repeat(64) } }]) {
        const res = await patchBid(s3.producer, own.body.id, extra);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
    });

    it('issues a receipt whose commitment is sha256(nonce + "." + canonical content) (T-COMMIT)', async () => {
      const created = await createBid(s4.producer, briefId, {
        ...bidBody(77_777_777_77),
        creativeApproach: '  Қазақша "quoted" \\ approach — with ünïcödé\n  ',
        submit: true,
      });
      expect(created.status).toBe(201);
      const read = await get(s4.producer, `/bids/${created.body.id}`);
      expect(read.status).toBe(200);
      expectNoStore(read);
      const { receipt } = read.body;
      expect(receipt.nonce).toMatch(HEX64); // 32 random bytes
      expect(receipt).toEqual(created.body.receipt);
      expect(recomputeCommitment(read.body, receipt.nonce)).toBe(receipt.commitment);
    });
  });

  describe('At the deadline', () => {
    it('accepts changes just before bidsCloseAt and refuses every change after it with 409 BID_WINDOW_CLOSED', async () => {
      const body = briefBody({ closesIn: 3, questionsIn: 1 });
      const briefId = await publishBrief(t, b.commissioner, body);

      const draft = await createBid(s1.producer, briefId, bidBody());
      expect(draft.status).toBe(201);
      const patched = await patchBid(s1.producer, draft.body.id, { team: 'Patched before the deadline' });
      expect(patched.status).toBe(200);
      const submitted = await act(s1.producer, draft.body.id, 'submit');
      expect(submitted.status).toBe(200);
      const s2Draft = await createBid(s2.producer, briefId, bidBody());
      expect(s2Draft.status).toBe(201);

      await waitUntilPast(t, body.bidsCloseAt as string);

      const late = [
        await patchBid(s1.producer, draft.body.id, { team: 'Too late' }),
        await act(s1.producer, draft.body.id, 'withdraw'),
        await act(s1.producer, draft.body.id, 'submit'),
        await act(s2.producer, s2Draft.body.id, 'submit'),
        await patchBid(s2.producer, s2Draft.body.id, { team: 'Too late' }),
        await act(s2.producer, s2Draft.body.id, 'withdraw'),
        await createBid(s3.producer, briefId, { ...bidBody(), submit: true }),
      ];
      for (const res of late) {
        expectProblem(res, 409, 'BID_WINDOW_CLOSED');
        expectNoStore(res);
      }

      const { rows } = await t.db.query<{ late: number; bids: number }>(
        `SELECT (SELECT count(*)::int FROM bid_versions v JOIN bids x ON x.id = v.bid_id
                  WHERE x.brief_id = $1 AND v.created_at >= $2::timestamptz) AS late,
                (SELECT count(*)::int FROM bids WHERE brief_id = $1) AS bids`,
        [briefId, body.bidsCloseAt],
      );
      expect(rows[0]).toEqual({ late: 0, bids: 2 });
      const own = await get(s1.producer, `/bids/${draft.body.id}`);
      expect(own.body).toMatchObject({ status: 'submitted', team: 'Patched before the deadline' });
      expect(Date.parse(own.body.receipt.submittedAt)).toBeLessThan(Date.parse(body.bidsCloseAt as string));
    });
  });

  describe('Sealed bids (T-SEAL)', () => {
    const marker = `Sealed approach ${randomBytes(6).toString('hex')}`;
    const s1Price = 87_654_321_09;
    let body: Record<string, unknown>;
    let briefId: string;
    let s1Bid: SubmittedBid;
    let s2Bid: SubmittedBid;
    let s3Draft: { id: string };
    let s4Withdrawn: { id: string };

    beforeAll(async () => {
      body = briefBody({ closesIn: 10, questionsIn: 5 });
      briefId = await publishBrief(t, b.commissioner, body);
      const first = await submitBid(t, s1.producer, briefId, 80_000_000_00);
      // Edited after submitting: the opening must list only the latest receipt.
      const edited = await patchBid(s1.producer, first.id, { ...priced(s1Price), creativeApproach: marker });
      expect(edited.status).toBe(200);
      s1Bid = edited.body;
      expect(s1Bid.receipt.commitment).not.toBe(first.receipt.commitment);
      s2Bid = await submitBid(t, s2.producer, briefId, 90_000_000_00);
      s3Draft = (await createBid(s3.producer, briefId, bidBody())).body;
      s4Withdrawn = await submitBid(t, s4.producer, briefId);
      await act(s4.producer, s4Withdrawn.id, 'withdraw').then((r) => expect(r.status).toBe(200));
    });

    const leaks = (res: Response): boolean => {
      const text = JSON.stringify(res.body ?? {}) + (res.text ?? '');
      return text.includes(String(s1Price)) || text.includes(marker);
    };

    it('answers the commissioner, the broadcaster admin and the operator with 409 BIDS_SEALED on the bid list', async () => {
      for (const who of [b.commissioner, b.admin, operator]) {
        const res = await get(who, `/briefs/${briefId}/bids`);
        expectProblem(res, 409, 'BIDS_SEALED');
        expectNoStore(res);
        expect(leaks(res)).toBe(false);
      }
    });

    it('answers broadcaster finance with 403 and no bid data', async () => {
      const res = await get(b.finance, `/briefs/${briefId}/bids`);
      expectProblem(res, 403, 'FORBIDDEN');
      expectNoStore(res);
      expect(leaks(res)).toBe(false);
    });

    it('shows a studio only its own bid', async () => {
      const mine = await get(s1.producer, `/briefs/${briefId}/bids`);
      expect(mine.status).toBe(200);
      expectNoStore(mine);
      expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([s1Bid.id]);
      expect(mine.body.nextCursor).toBeNull();
      expect(mine.body.items[0]).toMatchObject({ price: { amount: s1Price }, creativeApproach: marker });

      const draftOwner = await get(s3.producer, `/briefs/${briefId}/bids`);
      expect(draftOwner.body.items.map((x: { id: string }) => x.id)).toEqual([s3Draft.id]);
      expect(leaks(draftOwner)).toBe(false);
    });

    it('keeps a single bid from the commissioner (409), the operator (409), another studio (404) and anonymous callers (401)', async () => {
      const cases: [Actor | null, number, string][] = [
        [b.commissioner, 409, 'BIDS_SEALED'],
        [b.admin, 409, 'BIDS_SEALED'],
        [operator, 409, 'BIDS_SEALED'],
        [s2.producer, 404, 'NOT_FOUND'],
        [s2.admin, 404, 'NOT_FOUND'],
        [null, 401, 'UNAUTHENTICATED'],
      ];
      for (const [who, status, code] of cases) {
        const res = await get(who, `/bids/${s1Bid.id}`);
        expectProblem(res, status, code);
        expectNoStore(res);
        expect(leaks(res)).toBe(false);
      }
      const own = await get(s1.finance, `/bids/${s1Bid.id}`);
      expect(own.status).toBe(200);
      expectNoStore(own);
    });

    it('answers the ranking and the bid opening with 409 BIDS_SEALED', async () => {
      for (const path of [`/briefs/${briefId}/ranking`, `/briefs/${briefId}/bid-opening`]) {
        const res = await get(b.commissioner, path);
        expectProblem(res, 409, 'BIDS_SEALED');
        expectNoStore(res);
      }
    });

    it('shows the broadcaster only the number of submitted bids on the brief', async () => {
      const res = await get(b.commissioner, `/briefs/${briefId}`);
      expect(res.status).toBe(200);
      expect(res.body.bidCount).toBe(2);
      expect(res.body.bids).toBeUndefined();
      expect(leaks(res)).toBe(false);
      expect(JSON.stringify(res.body)).not.toContain(s1Bid.id);
    });

    it('keeps bid content out of the audit trail the operator reads', async () => {
      const res = await get(operator, `/audit?entityType=bid&entityId=${s1Bid.id}&limit=100`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThanOrEqual(2);
      expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['bid.submitted', 'bid.updated']),
      );
      expect(leaks(res)).toBe(false);
    });

    it("keeps S1's price and text out of other studios' and the broadcaster's notifications", async () => {
      // S1's own submission notice has been delivered, so every notice of these bids has.
      await eventually(async () =>
        (await notificationsOf(t, s1.producer)).some(
          (n) => n.type === 'bid.submitted' && n.data.bidId === s1Bid.id,
        ),
      );
      for (const who of [s2.producer, s2.admin, b.commissioner, b.admin]) {
        const res = await get(who, '/notifications?limit=100');
        expect(res.status).toBe(200);
        expect(leaks(res)).toBe(false);
        expect(JSON.stringify(res.body)).not.toContain(s1Bid.id);
      }
    });

    describe('after the deadline', () => {
      beforeAll(async () => {
        await waitUntilPast(t, body.bidsCloseAt as string);
      });

      it('lists the submitted bids for the commissioner, without drafts or withdrawn bids', async () => {
        const res = await get(b.commissioner, `/briefs/${briefId}/bids`);
        expect(res.status).toBe(200);
        expectNoStore(res);
        expect(res.body.items.map((x: { id: string }) => x.id).sort()).toEqual([s1Bid.id, s2Bid.id].sort());
        expect(res.body.nextCursor).toBeNull();
        expect(res.body.items.find((x: { id: string }) => x.id === s1Bid.id)).toMatchObject({
          status: 'submitted',
          price: { amount: s1Price, currency: 'KZT' },
          creativeApproach: marker,
          receipt: s1Bid.receipt,
        });
        const single = await get(b.commissioner, `/bids/${s1Bid.id}`);
        expect(single.status).toBe(200);
        expectNoStore(single);
        for (const hidden of [s3Draft.id, s4Withdrawn.id]) {
          expectProblem(await get(b.commissioner, `/bids/${hidden}`), 404, 'NOT_FOUND');
        }
      });

      it('pages the bid list by receipt time: limit=1, then the cursor, then no next cursor', async () => {
        const all = await get(b.commissioner, `/briefs/${briefId}/bids`);
        const ids = all.body.items.map((x: { id: string }) => x.id);
        const first = await get(b.commissioner, `/briefs/${briefId}/bids?limit=1`);
        expect(first.status).toBe(200);
        expect(first.body.items.map((x: { id: string }) => x.id)).toEqual([ids[0]]);
        expect(typeof first.body.nextCursor).toBe('string');
        const second = await get(
          b.commissioner,
          `/briefs/${briefId}/bids?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        );
        expect(second.status).toBe(200);
        expect(second.body.items.map((x: { id: string }) => x.id)).toEqual([ids[1]]);
        expect(second.body.nextCursor).toBeNull();
      });

      it('refuses limit 0 or 101 and a forged cursor with 400', async () => {
        for (const limit of [0, 101]) {
          expectProblem(await get(b.commissioner, `/briefs/${briefId}/bids?limit=${limit}`), 400);
        }
        expectProblem(
          await get(b.commissioner, `/briefs/${briefId}/bids?cursor=garbage`),
          400,
          'INVALID_CURSOR',
        );
      });

      it("still answers another studio reading S1's bid with 404", async () => {
        const res = await get(s2.producer, `/bids/${s1Bid.id}`);
        expectProblem(res, 404, 'NOT_FOUND');
        expectNoStore(res);
        expect(leaks(res)).toBe(false);
      });

      it('lists exactly the latest commitments of the submitted bids in the bid opening, naming no studio', async () => {
        const res = await get(s1.producer, `/briefs/${briefId}/bid-opening`);
        expect(res.status).toBe(200);
        expectNoStore(res);
        expect(res.body.openedAt).toBe(body.bidsCloseAt);
        const byBid = (x: { bidId: string }, y: { bidId: string }) => x.bidId.localeCompare(y.bidId);
        expect([...res.body.commitments].sort(byBid)).toEqual(
          [
            { bidId: s1Bid.id, commitment: s1Bid.receipt.commitment },
            { bidId: s2Bid.id, commitment: s2Bid.receipt.commitment },
          ].sort(byBid),
        );
        const text = JSON.stringify(res.body);
        for (const s of [s1, s2, s3, s4]) {
          const me = await get(s.admin, '/me');
          expect(text).not.toContain(s.admin.organisationId);
          expect(text).not.toContain(me.body.organisation.name);
        }

        const commissioner = await get(b.commissioner, `/briefs/${briefId}/bid-opening`);
        expect(commissioner.status).toBe(200);
        expect(commissioner.body).toEqual(res.body);
      });

      it('lets the broadcaster check each bid it reads against the commitment in the opening (T-COMMIT)', async () => {
        const opening = await get(b.commissioner, `/briefs/${briefId}/bid-opening`);
        for (const c of opening.body.commitments as { bidId: string; commitment: string }[]) {
          const bid = await get(b.commissioner, `/bids/${c.bidId}`);
          expect(recomputeCommitment(bid.body, bid.body.receipt.nonce)).toBe(c.commitment);
        }
      });

      it('answers a studio without a submitted bid with 404 on the bid opening', async () => {
        for (const who of [s3.producer, s4.producer, foreign.producer]) {
          const res = await get(who, `/briefs/${briefId}/bid-opening`);
          expectProblem(res, 404, 'NOT_FOUND');
          expectNoStore(res);
        }
      });
    });
  });

  describe('brief.deadline job', () => {
    it('records the closing, the bid opening and notifies the bidders without any request', async () => {
      const body = briefBody({ closesIn: 2, questionsIn: 1 });
      const briefId = await publishBrief(t, b.commissioner, body);
      const bid = await submitBid(t, s2.producer, briefId);

      const opening = await eventually(async () => {
        const { rows } = await t.db.query<{ status: string; commitments: unknown }>(
          `SELECT b.status, o.commitments FROM briefs b JOIN bid_openings o ON o.brief_id = b.id WHERE b.id = $1`,
          [briefId],
        );
        return rows[0]?.status === 'closed' ? rows[0] : undefined;
      }, 15000);
      expect(opening.commitments).toEqual([{ bidId: bid.id, commitment: bid.receipt.commitment }]);

      await eventually(async () =>
        (await notificationsOf(t, s2.producer)).some(
          (n) => n.type === 'bids.opened' && n.data.briefId === briefId,
        ),
      );
    });
  });

  describe('brief.closing_soon', () => {
    it('reminds a studio holding a draft 24 h before the deadline, and not one whose bid is submitted', async () => {
      // The reminder is due 24 h before bidsCloseAt: here a few seconds after publishing, so both
      // bids exist when it runs (for a brief published with less than 24 h to go it would run at once).
      const briefId = await publishBrief(t, b.commissioner, briefBody({ closesIn: 86400 + 4 }));
      const draft = await createBid(s3.producer, briefId, bidBody());
      expect(draft.status).toBe(201);
      await submitBid(t, s4.producer, briefId);
      const { rows } = await t.db.query<{ pending: boolean }>(
        `SELECT count(*) > 0 AS pending FROM outbox
          WHERE type = 'brief.deadline' AND payload->>'briefId' = $1 AND payload->>'kind' = 'closing_soon'
            AND published_at IS NULL`,
        [briefId],
      );
      expect(rows[0]!.pending).toBe(true); // the bids were in place before the reminder ran

      await eventually(async () =>
        (await notificationsOf(t, s3.producer)).some(
          (n) => n.type === 'brief.closing_soon' && n.data.briefId === briefId,
        ),
      );
      const submitted = await notificationsOf(t, s4.producer);
      expect(submitted.filter((n) => n.type === 'brief.closing_soon' && n.data.briefId === briefId)).toEqual(
        [],
      );
    });
  });
});
