import type { Response } from 'supertest';
import { addMember, bearer, loginOperator, type Actor } from '../factories';
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

type Scores = Record<string, number>;
interface Winner {
  id: string;
  milestones: { title: string; share: number; dueAt: string }[];
  contractId?: string;
}
interface ContractView {
  termsHash: string;
  milestones: { amount: { amount: number } }[];
}
const CRITERIA = briefBody().criteria as { name: string; weight: number }[];

/** One evaluator's weighted score: the weighted mean over the brief's criteria. */
const weighted = (s: Scores): number =>
  CRITERIA.reduce((sum, c) => sum + s[c.name]! * c.weight, 0) / CRITERIA.reduce((w, c) => w + c.weight, 0);
const asList = (s: Scores) => Object.entries(s).map(([criterion, score]) => ({ criterion, score }));
const byCriterion = (a: { criterion: string }, b: { criterion: string }) =>
  a.criterion.localeCompare(b.criterion);

describe('Evaluation and award', () => {
  let t: TestApp;
  let b: Broadcaster;
  let commissioner2: Actor;
  let other: Broadcaster;
  let operator: Actor;
  let s1: Studio;
  let s2: Studio;
  let s3: Studio;
  let s4: Studio;
  let s5: Studio;
  let deadline: string;

  /** Brief still open for bids, with one submitted bid. */
  const open = { briefId: '', bidId: '' };
  /** Brief A (evaluation): submitted X (s1), Y (s2), Z (s3); withdrawn (s4); draft (s5). */
  const a = { briefId: '', x: '', y: '', z: '', withdrawn: '', draft: '' };
  /** Brief B (award and contract): winner (s1), loser (s2), withdrawn (s4). */
  const bb = { briefId: '', winner: { id: '', milestones: [] } as Winner, loser: '', withdrawn: '' };
  /** Briefs for the award race, three submitted bids each. */
  const races: { briefId: string; bids: string[] }[] = [];

  const WIN_PRICE = 100_000_000_01;

  const get = (by: Actor, path: string): Promise<Response> =>
    t
      .http()
      .get(api(path))
      .set(...bearer(by));
  const score = (by: Actor, bidId: string, scores: unknown): Promise<Response> =>
    t
      .http()
      .put(api(`/bids/${bidId}/scores`))
      .set(...bearer(by))
      .send({ scores });
  const award = (by: Actor, briefId: string, bidId: string): Promise<Response> =>
    t
      .http()
      .post(api(`/briefs/${briefId}/award`))
      .set(...bearer(by))
      .send({ bidId });
  const decide = (by: Actor, bidId: string, what: 'shortlist' | 'reject', note?: string): Promise<Response> =>
    t
      .http()
      .post(api(`/bids/${bidId}/${what}`))
      .set(...bearer(by))
      .send(note === undefined ? {} : { note });
  const draftBid = async (by: Actor, briefId: string): Promise<string> => {
    const res = await t
      .http()
      .post(api(`/briefs/${briefId}/bids`))
      .set(...bearer(by))
      .send(bidBody());
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const withdrawnBid = async (by: Actor, briefId: string): Promise<string> => {
    const { id } = await submitBid(t, by, briefId);
    await t
      .http()
      .post(api(`/bids/${id}/withdraw`))
      .set(...bearer(by))
      .expect(200);
    return id;
  };

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    [b, other, s1, s2, s3, s4, s5, operator] = await Promise.all([
      createBroadcaster(t),
      createBroadcaster(t),
      createStudio(t),
      createStudio(t),
      createStudio(t),
      createStudio(t),
      createStudio(t),
      loginOperator(t),
    ]);
    commissioner2 = await addMember(t, b.admin, 'commissioner');

    open.briefId = await publishBrief(t, b.commissioner);
    open.bidId = (await submitBid(t, s1.producer, open.briefId)).id;

    // Every other brief closes at the same instant, a few seconds from now.
    const body = briefBody({ closesIn: 8, questionsIn: 4 });
    deadline = body.bidsCloseAt as string;
    const [briefA, briefB, ...raceBriefs] = await Promise.all(
      Array.from({ length: 5 }, () => publishBrief(t, b.commissioner, body)),
    );
    a.briefId = briefA!;
    bb.briefId = briefB!;

    const winnerBody = bidBody(WIN_PRICE);
    const schedule = (winnerBody.milestones as { share: number }[]).map((m, i) => ({
      ...m,
      share: [33, 33, 34][i],
    }));
    const [x, y, z, withdrawnA, draftA, winner, loser, withdrawnB, ...raceBids] = await Promise.all([
      submitBid(t, s1.producer, a.briefId, 100_000_000_00),
      submitBid(t, s2.producer, a.briefId, 95_000_000_00),
      submitBid(t, s3.producer, a.briefId, 90_000_000_00),
      withdrawnBid(s4.producer, a.briefId),
      draftBid(s5.producer, a.briefId),
      t
        .http()
        .post(api(`/briefs/${bb.briefId}/bids`))
        .set(...bearer(s1.producer))
        .send({ ...winnerBody, milestones: schedule, submit: true })
        .then((r) => {
          expect(r.status).toBe(201);
          return r.body;
        }),
      submitBid(t, s2.producer, bb.briefId, 99_000_000_00),
      withdrawnBid(s4.producer, bb.briefId),
      ...raceBriefs.flatMap((id) => [s1, s2, s3].map((s) => submitBid(t, s.producer, id))),
    ]);
    Object.assign(a, { x: x.id, y: y.id, z: z.id, withdrawn: withdrawnA, draft: draftA });
    Object.assign(bb, { winner, loser: loser.id, withdrawn: withdrawnB });
    raceBriefs.forEach((id, i) =>
      races.push({ briefId: id, bids: raceBids.slice(i * 3, i * 3 + 3).map((r: { id: string }) => r.id) }),
    );
  });
  afterAll(() => t.close());

  describe('before the deadline', () => {
    it('refuses scores, decisions and the award with 409 BIDS_SEALED and records nothing', async () => {
      const attempts = [
        await score(b.commissioner, open.bidId, [{ criterion: 'creative', score: 7 }]),
        await decide(b.commissioner, open.bidId, 'shortlist', 'early'),
        await award(b.commissioner, open.briefId, open.bidId),
      ];
      for (const res of attempts) {
        expectProblem(res, 409, 'BIDS_SEALED');
        expect(res.headers['cache-control']).toBe('no-store');
      }
      const { rows } = await t.db.query<{ scores: number; contracts: number; status: string }>(
        `SELECT (SELECT count(*)::int FROM bid_scores WHERE bid_id = $2) AS scores,
                (SELECT count(*)::int FROM contracts WHERE brief_id = $1) AS contracts,
                (SELECT status FROM bids WHERE id = $2) AS status`,
        [open.briefId, open.bidId],
      );
      expect(rows[0]).toEqual({ scores: 0, contracts: 0, status: 'submitted' });
    });
  });

  describe('after the deadline', () => {
    beforeAll(async () => {
      await waitUntilPast(t, deadline);
    });

    describe('PUT /bids/{id}/scores', () => {
      it("records the commissioner's scores for a bid", async () => {
        const mine = { creative: 7, team: 6, price: 5 };
        const res = await score(b.commissioner, a.x, asList(mine));
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({
          bidId: a.x,
          evaluatorId: b.commissioner.userId,
          scores: asList(mine).sort(byCriterion),
        });
      });

      it('refuses a criterion the brief does not have with 422 UNKNOWN_CRITERION', async () => {
        const res = await score(b.commissioner, a.y, [
          { criterion: 'creative', score: 5 },
          { criterion: 'originality', score: 9 },
        ]);
        expectProblem(res, 422, 'UNKNOWN_CRITERION');
        const { rows } = await t.db.query('SELECT 1 FROM bid_scores WHERE bid_id = $1', [a.y]);
        expect(rows).toHaveLength(0);
      });

      it.each([
        ['above 10', 11],
        ['fractional', 2.5],
        ['negative', -1],
      ])('rejects a score %s with 400', async (_label, value) => {
        const res = await score(b.commissioner, a.y, [{ criterion: 'creative', score: value }]);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      });

      it('refuses studio users, broadcaster finance and the operator with 403', async () => {
        const body = [{ criterion: 'creative', score: 10 }];
        for (const who of [s1.producer, s1.admin, b.finance, operator]) {
          expectProblem(await score(who, a.x, body), 403, 'FORBIDDEN');
        }
      });

      it('answers the commissioner of another broadcaster with 404', async () => {
        expectProblem(
          await score(other.commissioner, a.x, [{ criterion: 'creative', score: 10 }]),
          404,
          'NOT_FOUND',
        );
      });
    });

    describe('GET /briefs/{id}/ranking', () => {
      const c1x = { creative: 9, team: 8, price: 2 };
      const c2x = { creative: 4, team: 4, price: 2 }; // differs by 5 on creative, by 4 on team
      const c1y = { creative: 6, team: 6, price: 6 };

      it("ranks bids by the mean of the evaluators' weighted scores and flags disagreements over 4 points", async () => {
        for (const [who, bid, s] of [
          [b.commissioner, a.x, c1x],
          [commissioner2, a.x, c2x],
          [b.commissioner, a.y, c1y],
        ] as [Actor, string, Scores][]) {
          const res = await score(who, bid, asList(s));
          expect(res.status).toBe(200);
        }

        const res = await get(commissioner2, `/briefs/${a.briefId}/ranking`);
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        const expectedX = (weighted(c1x) + weighted(c2x)) / 2;
        const expectedY = weighted(c1y);
        expect(expectedY).toBeGreaterThan(expectedX);
        expect(res.body.items.map((r: { bidId: string }) => r.bidId)).toEqual([a.y, a.x, a.z]);
        expect(res.body.nextCursor).toBeNull();

        const [y, x, z] = res.body.items;
        expect(x).toMatchObject({ bidId: a.x, studio: { id: s1.admin.organisationId }, evaluators: 2 });
        expect(x.weightedScore).toBeCloseTo(expectedX, 3);
        expect(x.disagreements).toEqual(['creative']);
        const perEvaluator = (evaluatorId: string, s: Scores) =>
          asList(s).map((e) => ({ evaluatorId, ...e }));
        expect(x.scores).toHaveLength(6);
        expect(x.scores).toEqual(
          expect.arrayContaining([
            ...perEvaluator(b.commissioner.userId, c1x),
            ...perEvaluator(commissioner2.userId, c2x),
          ]),
        );
        expect(y).toMatchObject({ bidId: a.y, evaluators: 1, disagreements: [] });
        expect(y.weightedScore).toBeCloseTo(expectedY, 3);
        expect(y.scores).toEqual(expect.arrayContaining(perEvaluator(b.commissioner.userId, c1y)));
        expect(z).toMatchObject({
          bidId: a.z,
          evaluators: 0,
          weightedScore: null,
          scores: [],
          disagreements: [],
        });
      });

      it('pages the ranking in rank order, one item at a time, down to the unscored bid', async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 3; page++) {
          const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
          const res = await get(commissioner2, `/briefs/${a.briefId}/ranking?limit=1${query}`);
          expect(res.status).toBe(200);
          expect(res.body.items).toHaveLength(1);
          seen.push(res.body.items[0].bidId);
          cursor = res.body.nextCursor;
          expect(cursor === null).toBe(page === 2);
        }
        expect(seen).toEqual([a.y, a.x, a.z]);
        const two = await get(commissioner2, `/briefs/${a.briefId}/ranking?limit=2`);
        expect(two.body.items.map((r: { bidId: string }) => r.bidId)).toEqual([a.y, a.x]);
        expectProblem(await get(commissioner2, `/briefs/${a.briefId}/ranking?limit=101`), 400);
        expectProblem(
          await get(commissioner2, `/briefs/${a.briefId}/ranking?cursor=eA`),
          400,
          'INVALID_CURSOR',
        );
      });

      it('is for the broadcaster: a studio gets 404, finance 403', async () => {
        expectProblem(await get(s1.producer, `/briefs/${a.briefId}/ranking`), 404, 'NOT_FOUND');
        expectProblem(await get(b.finance, `/briefs/${a.briefId}/ranking`), 403, 'FORBIDDEN');
      });
    });

    describe('shortlist and reject', () => {
      it('shortlists a bid with a note', async () => {
        const res = await decide(b.commissioner, a.y, 'shortlist', 'Strong creative approach');
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toMatchObject({
          id: a.y,
          status: 'shortlisted',
          decisionNote: 'Strong creative approach',
        });
        const read = await get(b.commissioner, `/bids/${a.y}`);
        expect(read.body).toMatchObject({ status: 'shortlisted', decisionNote: 'Strong creative approach' });
      });

      it('rejects a bid with a note', async () => {
        const res = await decide(commissioner2, a.z, 'reject', 'Over the schedule');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: a.z, status: 'rejected', decisionNote: 'Over the schedule' });
        const { rows } = await t.db.query('SELECT status, decision_note FROM bids WHERE id = $1', [a.z]);
        expect(rows[0]).toEqual({ status: 'rejected', decision_note: 'Over the schedule' });
      });

      it('answers a withdrawn or a draft bid with 404 and leaves it as it was', async () => {
        for (const [bid, status] of [
          [a.withdrawn, 'withdrawn'],
          [a.draft, 'draft'],
        ]) {
          expectProblem(await decide(b.commissioner, bid!, 'shortlist', 'no'), 404, 'NOT_FOUND');
          expectProblem(await decide(b.commissioner, bid!, 'reject', 'no'), 404, 'NOT_FOUND');
          const { rows } = await t.db.query('SELECT status FROM bids WHERE id = $1', [bid]);
          expect(rows[0]).toEqual({ status });
        }
      });

      it('refuses studio users and finance with 403', async () => {
        for (const who of [s1.producer, b.finance]) {
          expectProblem(await decide(who, a.x, 'shortlist'), 403, 'FORBIDDEN');
        }
      });
    });

    describe('POST /briefs/{id}/award', () => {
      it('refuses a bid of another brief with 422', async () => {
        const res = await award(b.commissioner, bb.briefId, a.x);
        expectProblem(res, 422, 'BID_NOT_FOUND_FOR_BRIEF');
        expect(res.headers['cache-control']).toBe('no-store');
      });

      it('refuses a withdrawn bid with 409', async () => {
        expectProblem(await award(b.commissioner, bb.briefId, bb.withdrawn), 409, 'BID_STATE_CONFLICT');
      });

      it('refuses producers and finance with 403, and answers other organisations with 404', async () => {
        for (const who of [s1.producer, b.finance]) {
          expectProblem(await award(who, bb.briefId, bb.winner.id), 403, 'FORBIDDEN');
        }
        // An admin role passes the role check; the brief is another organisation's: 404.
        for (const who of [s1.admin, other.commissioner]) {
          expectProblem(await award(who, bb.briefId, bb.winner.id), 404, 'NOT_FOUND');
        }
        const { rows } = await t.db.query('SELECT 1 FROM contracts WHERE brief_id = $1', [bb.briefId]);
        expect(rows).toHaveLength(0);
      });

      it('awards a bid once: 201 with the contract, the brief becomes awarded, a second award is 409 ALREADY_AWARDED', async () => {
        const res = await award(b.commissioner, bb.briefId, bb.winner.id);
        expect(res.status).toBe(201);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({ contractId: expect.any(String) });
        bb.winner.contractId = res.body.contractId;

        const brief = await get(b.commissioner, `/briefs/${bb.briefId}`);
        expect(brief.body.status).toBe('awarded');
        const bid = await get(s1.producer, `/bids/${bb.winner.id}`);
        expect(bid.body.status).toBe('awarded');

        for (const bidId of [bb.loser, bb.winner.id]) {
          expectProblem(await award(commissioner2, bb.briefId, bidId), 409, 'ALREADY_AWARDED');
        }
        // Evaluation is over once the brief is awarded.
        expectProblem(
          await score(b.commissioner, bb.loser, [{ criterion: 'creative', score: 3 }]),
          409,
          'BRIEF_NOT_CLOSED',
        );
      });

      it.each([0, 1, 2])(
        'awards exactly one of 20 concurrent requests for different bids of the same brief (round %i)',
        async (round) => {
          const { briefId, bids } = races[round]!;
          const actors = [b.commissioner, commissioner2, b.admin];
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) => award(actors[i % 3]!, briefId, bids[(i + round) % 3]!)),
          );
          const statuses = results.map((r) => r.status);
          expect(statuses.filter((s) => s >= 500)).toEqual([]);
          const won = results.filter((r) => r.status === 201);
          expect(won).toHaveLength(1);
          for (const r of results.filter((x) => x.status !== 201)) expectProblem(r, 409, 'ALREADY_AWARDED');

          const { rows } = await t.db.query<{ id: string; status: string; contract_id: string | null }>(
            `SELECT x.id, x.status, c.id AS contract_id FROM bids x LEFT JOIN contracts c ON c.bid_id = x.id
              WHERE x.brief_id = $1 ORDER BY x.id`,
            [briefId],
          );
          const awarded = rows.filter((r) => r.status === 'awarded');
          expect(awarded).toHaveLength(1);
          expect(rows.filter((r) => r.status === 'submitted')).toHaveLength(2);
          const contracts = await t.db.query<{ id: string; bid_id: string }>(
            'SELECT id, bid_id FROM contracts WHERE brief_id = $1',
            [briefId],
          );
          expect(contracts.rows).toEqual([{ id: won[0]!.body.contractId, bid_id: awarded[0]!.id }]);
          const events = await t.db.query<{ type: string; n: number }>(
            `SELECT type, count(*)::int AS n FROM outbox
              WHERE type IN ('bid.awarded', 'bid.not_selected') AND payload->'data'->>'briefId' = $1
              GROUP BY type ORDER BY type`,
            [briefId],
          );
          expect(events.rows).toEqual([
            { type: 'bid.awarded', n: 1 },
            { type: 'bid.not_selected', n: 1 },
          ]);
        },
      );
    });

    describe('the contract draft', () => {
      it('shows both parties the draft: value = bid price, terms hash, no signatures, milestones summing to the value', async () => {
        const contractId = bb.winner.contractId as string;
        expect(contractId).toEqual(expect.any(String));
        const shares = [33, 33, 34];
        const expectedAmounts = [3_300_000_000, 3_300_000_000, WIN_PRICE - 2 * 3_300_000_000];
        const bidSchedule = bb.winner.milestones as { title: string; share: number; dueAt: string }[];
        expect(bidSchedule.map((m) => m.share)).toEqual(shares);

        const bodies: ContractView[] = [];
        for (const who of [b.commissioner, b.admin, s1.producer, s1.finance, s1.admin]) {
          const res = await get(who, `/contracts/${contractId}`);
          expect(res.status).toBe(200);
          expect(res.headers['cache-control']).toBe('no-store');
          bodies.push(res.body);
        }
        const c = bodies[0]!;
        for (const other of bodies) expect(other).toEqual(c);
        expect(c).toMatchObject({
          id: contractId,
          briefId: bb.briefId,
          bidId: bb.winner.id,
          broadcaster: { id: b.admin.organisationId, name: expect.any(String) },
          studio: { id: s1.admin.organisationId, name: expect.any(String) },
          status: 'draft',
          value: { amount: WIN_PRICE, currency: 'KZT' },
          signatures: [],
        });
        expect(c.termsHash).toMatch(HEX64);
        expect(c.milestones).toEqual(
          bidSchedule.map((m, i) => ({
            id: expect.any(String),
            contractId,
            sequence: i + 1,
            title: m.title,
            amount: { amount: expectedAmounts[i], currency: 'KZT' },
            dueAt: m.dueAt,
            status: 'pending',
          })),
        );
        const sum = c.milestones.reduce(
          (s: number, m: { amount: { amount: number } }) => s + m.amount.amount,
          0,
        );
        expect(sum).toBe(WIN_PRICE);
        for (const m of c.milestones) expect(Number.isInteger(m.amount.amount)).toBe(true);
      });

      it('answers another studio, a losing bidder and another broadcaster with 404', async () => {
        for (const who of [s2.producer, s2.finance, s3.admin, other.commissioner, other.finance]) {
          const res = await get(who, `/contracts/${bb.winner.contractId}`);
          expectProblem(res, 404, 'NOT_FOUND');
          expect(res.headers['cache-control']).toBe('no-store');
        }
      });

      it('lists the contract for the parties only', async () => {
        const ids = async (who: Actor): Promise<string[]> => {
          const res = await get(who, '/contracts?limit=100');
          expect(res.status).toBe(200);
          expect(res.headers['cache-control']).toBe('no-store');
          return res.body.items.map((c: { id: string }) => c.id);
        };
        for (const who of [b.commissioner, b.finance, s1.producer, s1.finance]) {
          expect(await ids(who)).toContain(bb.winner.contractId);
        }
        for (const who of [s2.producer, s4.admin, other.commissioner]) {
          expect(await ids(who)).not.toContain(bb.winner.contractId);
        }
        expect(await ids(other.admin)).toEqual([]);
      });

      it('notifies the winner with bid.awarded and the other bidders with bid.not_selected', async () => {
        const about = (list: { type: string; data: Record<string, unknown> }[], type: string) =>
          list.filter((n) => n.type === type && n.data.briefId === bb.briefId);
        const winner = await eventually(async () => {
          const list = await notificationsOf(t, s1.producer);
          return about(list, 'bid.awarded').length ? list : undefined;
        });
        expect(about(winner, 'bid.awarded')).toHaveLength(1);
        expect(about(winner, 'bid.awarded')[0]!.data).toMatchObject({ contractId: bb.winner.contractId });
        expect(about(winner, 'bid.not_selected')).toEqual([]);

        const loser = await eventually(async () => {
          const list = await notificationsOf(t, s2.producer);
          return about(list, 'bid.not_selected').length ? list : undefined;
        });
        expect(about(loser, 'bid.not_selected')).toHaveLength(1);
        expect(about(loser, 'bid.awarded')).toEqual([]);

        // Both notices have been handled by now: the withdrawn studio was a recipient of neither.
        const withdrawn = await notificationsOf(t, s4.producer);
        expect(about(withdrawn, 'bid.not_selected')).toEqual([]);
        expect(about(withdrawn, 'bid.awarded')).toEqual([]);
      });
    });
  });
});
