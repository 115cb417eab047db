import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, loginOperator, type Actor, type AuditEvent } from '../factories';
import {
  bidBody,
  createBroadcaster,
  createStudio,
  draftContracts,
  type Broadcaster,
  type DraftContract,
  type Studio,
} from '../factories/commissioning';
import { api, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { notificationsAbout } from '../utils/notifications';

const HEX64 = /^[0-9a-f]{64}$/;
/** Not a round number, so that splits have remainders. */
const PRICE = 100_000_000_07;

interface Money {
  amount: number;
  currency: string;
}
interface MilestoneView {
  id: string;
  contractId: string;
  sequence: number;
  title: string;
  amount: Money;
  dueAt: string;
  status: string;
}
interface ContractView {
  id: string;
  briefId: string;
  bidId: string;
  broadcaster: { id: string; name: string };
  studio: { id: string; name: string };
  status: string;
  value: Money;
  termsHash: string;
  signatures: { party: string; userId: string; signedAt: string; termsHash: string }[];
  milestones: MilestoneView[];
}
interface MilestoneInput {
  title: string;
  amount: Money;
  dueAt: string;
}
/** A draft contract, as award left it, with the bid it came from. */
type Draft = DraftContract;

const inDays = (d: number): string => new Date(Date.now() + d * 86400_000).toISOString();

/** A schedule of whole minor units in `currency`, one milestone per amount. */
const schedule = (amounts: number[], currency = 'KZT'): MilestoneInput[] =>
  amounts.map((amount, i) => ({
    title: `Part ${i + 1}`,
    amount: { amount, currency },
    dueAt: inDays(30 * (i + 1)),
  }));

describe('Contracts', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  let otherB: Broadcaster;
  let otherS: Studio;
  let operator: Actor;

  /** Draft contracts of b and s, one per concern, all awarded in one batch. */
  let reading: Draft;
  let editing: Draft;
  let property: Draft;
  let alreadyActive: Draft;
  let byAdmins: Draft;
  let rules: Draft;
  let races: Draft[];
  let sameParty: Draft;
  let toTerminate: Draft;
  let toTerminateActive: Draft;
  /** The contract of another broadcaster and another studio. */
  let foreign: Draft;

  const get = (by: Actor, path: string): Promise<Response> =>
    t
      .http()
      .get(api(path))
      .set(...bearer(by));
  const contract = async (by: Actor, id: string): Promise<ContractView> => {
    const res = await get(by, `/contracts/${id}`);
    expect(res.status).toBe(200);
    return res.body as ContractView;
  };
  const putMilestones = (by: Actor, id: string, body: unknown): Promise<Response> =>
    t
      .http()
      .put(api(`/contracts/${id}/milestones`))
      .set(...bearer(by))
      .send(body as object);
  const sign = (by: Actor, id: string, termsHash: unknown): Promise<Response> =>
    t
      .http()
      .post(api(`/contracts/${id}/sign`))
      .set(...bearer(by))
      .send({ termsHash });
  const terminate = (by: Actor, id: string, body: unknown): Promise<Response> =>
    t
      .http()
      .post(api(`/contracts/${id}/terminate`))
      .set(...bearer(by))
      .send(body as object);

  const notified = async (by: Actor, type: string, contractId: string): Promise<number> =>
    (await notificationsAbout(t, by, type, { contractId })).length;

  /** Signs the current terms for both parties; the contract is then active. */
  async function activate(id: string): Promise<void> {
    const { termsHash } = await contract(b.commissioner, id);
    for (const signer of [b.commissioner, s.producer]) {
      const res = await sign(signer, id, termsHash);
      expect(res.status).toBe(200);
    }
  }

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    [b, s, otherB, otherS, operator] = await Promise.all([
      createBroadcaster(t),
      createStudio(t),
      createBroadcaster(t),
      createStudio(t),
      loginOperator(t),
    ]);
    const mine = { broadcaster: b, studio: s, bid: bidBody(PRICE) };
    const drafts = await draftContracts(t, [
      ...Array.from({ length: 12 }, () => mine),
      { broadcaster: otherB, studio: otherS, bid: bidBody(PRICE) },
    ]);
    [reading, editing, property, alreadyActive, byAdmins, rules, toTerminate, toTerminateActive] = drafts as [
      Draft,
      Draft,
      Draft,
      Draft,
      Draft,
      Draft,
      Draft,
      Draft,
    ];
    races = drafts.slice(8, 11);
    sameParty = drafts[11]!;
    foreign = drafts[12]!;
    await activate(alreadyActive.contractId);
  });
  afterAll(() => t.close());

  describe('a draft after the award', () => {
    describe('GET /contracts/{id}', () => {
      it('shows both parties the same draft: value, milestones from the bid, no signatures', async () => {
        const forBroadcaster = await contract(b.commissioner, reading.contractId);
        const forStudio = await contract(s.producer, reading.contractId);
        expect(forStudio).toEqual(forBroadcaster);
        expect(forBroadcaster).toMatchObject({
          id: reading.contractId,
          briefId: reading.briefId,
          bidId: reading.bid.id,
          broadcaster: { id: b.admin.organisationId, name: expect.any(String) },
          studio: { id: s.admin.organisationId, name: expect.any(String) },
          status: 'draft',
          value: { amount: PRICE, currency: 'KZT' },
          termsHash: expect.stringMatching(HEX64),
          signatures: [],
        });
        // The bid's 30/30/40 schedule, in whole minor units that sum exactly to the value.
        const split = [Math.floor(PRICE * 0.3), Math.floor(PRICE * 0.3)];
        expect(forBroadcaster.milestones).toEqual(
          reading.bid.milestones.map((m, i) => ({
            id: expect.any(String),
            contractId: reading.contractId,
            sequence: i + 1,
            title: m.title,
            amount: { amount: i < 2 ? split[i] : PRICE - split[0]! - split[1]!, currency: 'KZT' },
            dueAt: new Date(m.dueAt).toISOString(),
            status: 'pending',
          })),
        );
      });

      it('gives the same termsHash on repeated reads', async () => {
        const hashes = new Set<string>();
        for (const by of [b.commissioner, b.admin, s.producer, s.admin, b.commissioner]) {
          hashes.add((await contract(by, reading.contractId)).termsHash);
        }
        expect(hashes.size).toBe(1);
      });
    });

    describe('GET /contracts/{id}/milestones', () => {
      it("lists the contract's milestones for both parties", async () => {
        const { milestones } = await contract(b.commissioner, reading.contractId);
        for (const by of [b.commissioner, s.producer]) {
          const res = await get(by, `/contracts/${reading.contractId}/milestones`);
          expect(res.status).toBe(200);
          expect(res.headers['cache-control']).toBe('no-store');
          expect(res.body).toEqual({ items: milestones, nextCursor: null });
        }
      });

      it('pages the milestones in sequence order with limit and cursor', async () => {
        const { milestones } = await contract(b.commissioner, reading.contractId);
        expect(milestones.length).toBeGreaterThan(1);
        const seen: unknown[] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
          const res = await get(s.producer, `/contracts/${reading.contractId}/milestones?limit=1${query}`);
          expect(res.status).toBe(200);
          expect(res.body.items).toHaveLength(1);
          seen.push(res.body.items[0]);
          cursor = res.body.nextCursor;
        } while (cursor !== null && seen.length <= milestones.length);
        expect(seen).toEqual(milestones);
        for (const limit of [0, 101, 'x']) {
          expectProblem(
            await get(s.producer, `/contracts/${reading.contractId}/milestones?limit=${limit}`),
            400,
          );
        }
        expectProblem(
          await get(s.producer, `/contracts/${reading.contractId}/milestones?cursor=bm90LWEtbnVtYmVy`),
          400,
          'INVALID_CURSOR',
        );
      });
    });

    it("notifies both parties' signers, and nobody else, that the contract is ready to sign", async () => {
      for (const by of [b.commissioner, b.admin, s.producer, s.admin]) {
        await eventually(
          async () => (await notified(by, 'contract.ready_to_sign', reading.contractId)) === 1,
        );
      }
      for (const by of [b.finance, s.finance]) {
        expect(await notified(by, 'contract.ready_to_sign', reading.contractId)).toBe(0);
      }
    });
  });

  describe('PUT /contracts/{id}/milestones', () => {
    it('replaces the schedule of a draft when the amounts sum exactly to the value, with a new termsHash', async () => {
      const before = await contract(b.commissioner, editing.contractId);
      const input = schedule([1, PRICE - 1_000_000_01, 1_000_000_00]);
      const res = await putMilestones(b.commissioner, editing.contractId, { milestones: input });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.body as ContractView;
      expect(body.status).toBe('draft');
      expect(body.milestones).toEqual(
        input.map((m, i) => ({
          id: expect.any(String),
          contractId: editing.contractId,
          sequence: i + 1,
          title: m.title,
          amount: m.amount,
          dueAt: m.dueAt,
          status: 'pending',
        })),
      );
      expect(body.termsHash).toMatch(HEX64);
      expect(body.termsHash).not.toBe(before.termsHash);
      // What the studio reads now is the new schedule under the new hash.
      const after = await contract(s.producer, editing.contractId);
      expect(after.termsHash).toBe(body.termsHash);
      expect(after.milestones).toEqual(body.milestones);
      // The new terms are announced again to both parties.
      for (const by of [b.commissioner, s.producer]) {
        await eventually(
          async () => (await notified(by, 'contract.ready_to_sign', editing.contractId)) === 2,
        );
      }
    });

    it.each([
      ['sum one above the value', [1_000, PRICE - 999]],
      ['sum one below the value', [1_000, PRICE - 1_001]],
    ])('refuses amounts that %s with 422 MILESTONE_SUM', async (_case, amounts) => {
      const before = await contract(b.commissioner, editing.contractId);
      const res = await putMilestones(b.commissioner, editing.contractId, { milestones: schedule(amounts) });
      expectProblem(res, 422, 'MILESTONE_SUM', { noStore: true });
      expect(await contract(b.commissioner, editing.contractId)).toEqual(before);
    });

    it('refuses amounts in another currency with 422, even when they sum to the value', async () => {
      const before = await contract(b.commissioner, editing.contractId);
      const res = await putMilestones(b.commissioner, editing.contractId, {
        milestones: schedule([PRICE - 7, 7], 'USD'),
      });
      expectProblem(res, 422, 'MILESTONE_SUM');
      expect(await contract(b.commissioner, editing.contractId)).toEqual(before);
    });

    it.each([
      ['a fractional amount', { milestones: schedule([PRICE - 0.5, 0.5]) }],
      ['an empty schedule', { milestones: [] }],
      ['no schedule at all', {}],
      ['a negative amount', { milestones: schedule([PRICE + 1, -1]) }],
      [
        'an amount given as a string',
        {
          milestones: schedule([PRICE]).map((m) => ({
            ...m,
            amount: { ...m.amount, amount: String(PRICE) },
          })),
        },
      ],
      ['a milestone without a title', { milestones: schedule([PRICE]).map((m) => ({ ...m, title: '  ' })) }],
      [
        'a due date that is not a date',
        { milestones: schedule([PRICE]).map((m) => ({ ...m, dueAt: 'next spring' })) },
      ],
      ['an unknown field', { milestones: schedule([PRICE]), signed: true }],
    ])('refuses %s with 400', async (_case, body) => {
      const res = await putMilestones(b.commissioner, editing.contractId, body);
      expectProblem(res, 400);
    });

    it('lets only the broadcaster change the schedule: 403 for the studio and for broadcaster finance', async () => {
      const before = await contract(b.commissioner, editing.contractId);
      const milestones = schedule([PRICE - 5, 5]);
      for (const by of [s.admin, s.producer, s.finance, b.finance]) {
        const res = await putMilestones(by, editing.contractId, { milestones });
        expectProblem(res, 403, 'FORBIDDEN');
      }
      expect(await contract(b.commissioner, editing.contractId)).toEqual(before);
    });

    it("answers 404 to another broadcaster's commissioner and admin", async () => {
      for (const by of [otherB.commissioner, otherB.admin]) {
        const res = await putMilestones(by, editing.contractId, { milestones: schedule([PRICE]) });
        expectProblem(res, 404, 'NOT_FOUND');
      }
    });

    it('refuses to change an active contract with 409 CONTRACT_STATE_CONFLICT', async () => {
      const before = await contract(b.commissioner, alreadyActive.contractId);
      expect(before.status).toBe('active');
      const res = await putMilestones(b.commissioner, alreadyActive.contractId, {
        milestones: schedule([PRICE - 5, 5]),
      });
      expectProblem(res, 409, 'CONTRACT_STATE_CONFLICT');
      expect(await contract(b.commissioner, alreadyActive.contractId)).toEqual(before);
    });

    it('accepts any split into whole minor units that sums to the value', async () => {
      // Cut points anywhere in [0, value]: zero-amount parts included.
      const cuts = fc.array(fc.integer({ min: 0, max: PRICE }), { minLength: 0, maxLength: 6 });
      await fc.assert(
        fc.asyncProperty(cuts, async (points) => {
          const sorted = [...points].sort((x, y) => x - y);
          const amounts = [...sorted, PRICE].map((p, i) => p - (i === 0 ? 0 : sorted[i - 1]!));
          const input = schedule(amounts);
          const res = await putMilestones(b.commissioner, property.contractId, { milestones: input });
          expect(res.status).toBe(200);
          const body = res.body as ContractView;
          expect(body.milestones.map((m) => [m.sequence, m.amount.amount, m.dueAt])).toEqual(
            input.map((m, i) => [i + 1, m.amount.amount, m.dueAt]),
          );
          expect(body.milestones.reduce((sum, m) => sum + m.amount.amount, 0)).toBe(PRICE);
          expect(body.termsHash).toMatch(HEX64);
          expect((await contract(s.producer, property.contractId)).termsHash).toBe(body.termsHash);
        }),
        { numRuns: 20 },
      );
    });
  });

  describe('POST /contracts/{id}/sign', () => {
    it("activates the contract when the broadcaster's admin and the studio's admin sign the same terms", async () => {
      const { termsHash } = await contract(s.admin, byAdmins.contractId);
      const first = await sign(b.admin, byAdmins.contractId, termsHash);
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body).toMatchObject({
        status: 'draft',
        termsHash,
        signatures: [
          { party: 'broadcaster', userId: b.admin.userId, signedAt: expect.any(String), termsHash },
        ],
      });
      const second = await sign(s.admin, byAdmins.contractId, termsHash);
      expect(second.status).toBe(200);
      expect(second.body.status).toBe('active');
      expect(second.body.signatures).toEqual([
        { party: 'broadcaster', userId: b.admin.userId, signedAt: expect.any(String), termsHash },
        { party: 'studio', userId: s.admin.userId, signedAt: expect.any(String), termsHash },
      ]);
      expect(await contract(s.producer, byAdmins.contractId)).toEqual(second.body);
    });

    it("notifies both parties' signers once the contract is active", async () => {
      for (const by of [b.commissioner, b.admin, s.producer, s.admin]) {
        await eventually(async () => (await notified(by, 'contract.active', byAdmins.contractId)) === 1);
      }
    });

    it('refuses to sign an active contract with 409', async () => {
      const { termsHash, status } = await contract(b.commissioner, alreadyActive.contractId);
      expect(status).toBe('active');
      for (const by of [b.commissioner, s.admin]) {
        expectProblem(await sign(by, alreadyActive.contractId, termsHash), 409, 'CONTRACT_STATE_CONFLICT');
      }
    });

    it('refuses finance users of either party with 403', async () => {
      const { termsHash } = await contract(b.commissioner, rules.contractId);
      for (const by of [b.finance, s.finance]) {
        expectProblem(await sign(by, rules.contractId, termsHash), 403, 'FORBIDDEN');
      }
      expect((await contract(b.commissioner, rules.contractId)).signatures).toEqual([]);
    });

    it.each([
      ['a short hash', 'abc123'],
      ['an upper-case hash', 'A'.repeat(64)],
      ['a hash that is not hex', 'z'.repeat(64)],
      ['no hash', undefined],
    ])('refuses %s with 400', async (_case, hash) => {
      expectProblem(await sign(b.commissioner, rules.contractId, hash), 400);
    });

    it('takes one signature per party, and a schedule change clears it until the new terms are signed', async () => {
      const id = rules.contractId;
      const first = await contract(b.commissioner, id);

      const signed = await sign(b.commissioner, id, first.termsHash);
      expect(signed.status).toBe(200);
      expect(signed.body.signatures).toEqual([
        {
          party: 'broadcaster',
          userId: b.commissioner.userId,
          signedAt: expect.any(String),
          termsHash: first.termsHash,
        },
      ]);
      // The same party again, by the same or another signer.
      expectProblem(await sign(b.commissioner, id, first.termsHash), 409, 'ALREADY_SIGNED');
      expectProblem(await sign(b.admin, id, first.termsHash), 409, 'ALREADY_SIGNED');

      const changed = await putMilestones(b.commissioner, id, { milestones: schedule([PRICE - 100, 100]) });
      expect(changed.status).toBe(200);
      expect(changed.body.signatures).toEqual([]);
      const second = await contract(s.producer, id);
      expect(second.termsHash).not.toBe(first.termsHash);
      expect(second.signatures).toEqual([]);

      // The hash read before the change is stale for both parties.
      expectProblem(await sign(s.producer, id, first.termsHash), 409, 'TERMS_CHANGED');
      expectProblem(await sign(b.commissioner, id, first.termsHash), 409, 'TERMS_CHANGED');

      const studio = await sign(s.producer, id, second.termsHash);
      expect(studio.status).toBe(200);
      expect(studio.body.status).toBe('draft');
      // The broadcaster's earlier signature does not count for the new terms: it signs again.
      const broadcaster = await sign(b.commissioner, id, second.termsHash);
      expect(broadcaster.status).toBe(200);
      expect(broadcaster.body.status).toBe('active');
      expect(broadcaster.body.signatures).toEqual([
        {
          party: 'studio',
          userId: s.producer.userId,
          signedAt: expect.any(String),
          termsHash: second.termsHash,
        },
        {
          party: 'broadcaster',
          userId: b.commissioner.userId,
          signedAt: expect.any(String),
          termsHash: second.termsHash,
        },
      ]);
    });

    it('activates a contract exactly once when both parties sign at the same time', async () => {
      for (const race of races) {
        const { termsHash } = await contract(b.commissioner, race.contractId);
        const results = await Promise.all([
          sign(b.commissioner, race.contractId, termsHash),
          sign(s.producer, race.contractId, termsHash),
        ]);
        expect(results.map((r) => r.status)).toEqual([200, 200]);
        const after = await contract(s.producer, race.contractId);
        expect(after.status).toBe('active');
        expect(after.signatures.map((x) => x.party).sort()).toEqual(['broadcaster', 'studio']);

        const audit = await get(b.admin, `/audit?entityType=contract&entityId=${race.contractId}&limit=100`);
        expect(audit.status).toBe(200);
        const actions = (audit.body.items as AuditEvent[]).map((e) => e.action);
        expect(actions.filter((a) => a === 'contract.activated')).toHaveLength(1);
        const { rows } = await t.db.query<{ signed: number; activated: number; announced: number }>(
          `SELECT (SELECT count(*)::int FROM audit_events WHERE entity_id = $1 AND action = 'contract.signed') AS signed,
                  (SELECT count(*)::int FROM audit_events WHERE entity_id = $1 AND action = 'contract.activated') AS activated,
                  (SELECT count(*)::int FROM outbox
                    WHERE type = 'contract.active' AND payload->'data'->>'contractId' = $1) AS announced`,
          [race.contractId],
        );
        expect(rows[0]).toEqual({ signed: 2, activated: 1, announced: 1 });
      }
    });
    it('takes one of two signatures of the same party given at the same time: the other is 409 ALREADY_SIGNED', async () => {
      const { termsHash } = await contract(b.commissioner, sameParty.contractId);
      const results = await Promise.all([
        sign(b.commissioner, sameParty.contractId, termsHash),
        sign(b.admin, sameParty.contractId, termsHash),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expectProblem(
        results.find((r) => r.status === 409)!,
        409,
        'ALREADY_SIGNED',
      );
      const after = await contract(s.producer, sameParty.contractId);
      expect(after.status).toBe('draft');
      expect(after.signatures).toEqual([
        {
          party: 'broadcaster',
          userId: results[0].status === 200 ? b.commissioner.userId : b.admin.userId,
          signedAt: expect.any(String),
          termsHash,
        },
      ]);
    });
  });

  describe('POST /contracts/{id}/terminate', () => {
    it('needs a reason: 400 without one', async () => {
      for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
        expectProblem(await terminate(b.commissioner, toTerminate.contractId, body), 400);
      }
      expect((await contract(b.commissioner, toTerminate.contractId)).status).toBe('draft');
    });

    it('refuses the studio and broadcaster finance with 403', async () => {
      for (const by of [s.admin, s.producer, b.finance]) {
        expectProblem(
          await terminate(by, toTerminate.contractId, { reason: 'We changed our minds' }),
          403,
          'FORBIDDEN',
        );
      }
      expect((await contract(b.commissioner, toTerminate.contractId)).status).toBe('draft');
    });

    it('terminates a draft for the commissioner, after which nothing changes it', async () => {
      const res = await terminate(b.commissioner, toTerminate.contractId, {
        reason: 'The slot was cancelled',
      });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ id: toTerminate.contractId, status: 'terminated' });
      const after = await contract(s.producer, toTerminate.contractId);
      expect(after.status).toBe('terminated');

      expectProblem(
        await terminate(b.commissioner, toTerminate.contractId, { reason: 'Once more' }),
        409,
        'CONTRACT_STATE_CONFLICT',
      );
      expectProblem(
        await sign(s.producer, toTerminate.contractId, after.termsHash),
        409,
        'CONTRACT_STATE_CONFLICT',
      );
      expectProblem(
        await putMilestones(b.commissioner, toTerminate.contractId, { milestones: schedule([PRICE]) }),
        409,
        'CONTRACT_STATE_CONFLICT',
      );
    });

    it('terminates an active contract', async () => {
      await activate(toTerminateActive.contractId);
      const res = await terminate(b.commissioner, toTerminateActive.contractId, {
        reason: 'Production stopped',
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('terminated');
      expect((await contract(s.admin, toTerminateActive.contractId)).status).toBe('terminated');
    });
  });

  describe('visibility', () => {
    const routes: [string, (by: Actor, id: string) => Promise<Response>][] = [
      ['GET /contracts/{id}', (by, id) => get(by, `/contracts/${id}`)],
      ['GET /contracts/{id}/milestones', (by, id) => get(by, `/contracts/${id}/milestones`)],
      [
        'PUT /contracts/{id}/milestones',
        (by, id) => putMilestones(by, id, { milestones: schedule([PRICE]) }),
      ],
      ['POST /contracts/{id}/sign', (by, id) => sign(by, id, 'a'.repeat(64))],
      ['POST /contracts/{id}/terminate', (by, id) => terminate(by, id, { reason: 'Not ours to end' })],
    ];

    it('answers 404 on every contract route to another studio and another broadcaster', async () => {
      const before = await contract(b.commissioner, reading.contractId);
      // Each outsider with a role the route accepts, so that only visibility can refuse it.
      const outsiders: Record<string, Actor[]> = {
        'GET /contracts/{id}': [otherS.producer, otherB.commissioner],
        'GET /contracts/{id}/milestones': [otherS.producer, otherB.commissioner],
        'PUT /contracts/{id}/milestones': [otherS.admin, otherB.commissioner],
        'POST /contracts/{id}/sign': [otherS.producer, otherB.commissioner],
        'POST /contracts/{id}/terminate': [otherS.admin, otherB.commissioner],
      };
      for (const [name, call] of routes) {
        for (const by of outsiders[name]!) {
          const res = await call(by, reading.contractId);
          expect({ route: name, status: res.status }).toEqual({ route: name, status: 404 });
          expectProblem(res, 404, 'NOT_FOUND', { noStore: true });
        }
      }
      expect(await contract(b.commissioner, reading.contractId)).toEqual(before);
    });

    it('answers 404 for a contract that does not exist and 400 for an id that is not a UUID', async () => {
      expectProblem(await get(b.commissioner, `/contracts/${randomUUID()}`), 404, 'NOT_FOUND');
      expectProblem(await get(b.commissioner, `/contracts/${randomUUID()}/milestones`), 404, 'NOT_FOUND');
      expectProblem(await get(b.commissioner, '/contracts/not-a-uuid'), 400);
    });

    it("lists only the caller's own contracts", async () => {
      const ids = async (by: Actor): Promise<string[]> => {
        const res = await get(by, '/contracts?limit=100');
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body.nextCursor).toBeNull();
        return (res.body.items as { id: string }[]).map((c) => c.id).sort();
      };
      const ours = [
        reading,
        editing,
        property,
        alreadyActive,
        byAdmins,
        rules,
        toTerminate,
        toTerminateActive,
        ...races,
        sameParty,
      ]
        .map((d) => d.contractId)
        .sort();
      for (const by of [b.commissioner, b.admin, s.producer, s.admin]) expect(await ids(by)).toEqual(ours);
      for (const by of [otherB.commissioner, otherS.producer])
        expect(await ids(by)).toEqual([foreign.contractId]);
    });

    it('lets the platform operator read any contract but not sign it', async () => {
      const read = await contract(operator, foreign.contractId);
      expect(read.id).toBe(foreign.contractId);
      expectProblem(await sign(operator, foreign.contractId, read.termsHash), 403, 'FORBIDDEN');
    });
  });
});
