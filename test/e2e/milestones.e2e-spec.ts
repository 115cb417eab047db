import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, type Actor, type Notification } from '../factories';
import {
  bidBody,
  createBroadcaster,
  createStudio,
  draftContracts,
  signCurrentTerms,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { api, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { notificationsAbout } from '../utils/notifications';
import { tusUpload } from '../utils/tus';

const PRICE = 60_000_000_00;
const DAY_MS = 86400_000;

interface MilestoneView {
  id: string;
  contractId: string;
  sequence: number;
  title: string;
  amount: { amount: number; currency: string };
  dueAt: string;
  status: string;
}
/** An awarded contract and its milestones (in sequence order). */
interface Awarded {
  contractId: string;
  milestones: MilestoneView[];
}
type Action = 'submit' | 'accept' | 'request-changes';

const inDays = (d: number): string => new Date(Date.now() + d * DAY_MS).toISOString();

/**
 * Draft contracts, one per item of `bids` (extra bid fields, e.g. a milestone schedule), between
 * `b` and `s`. Every brief closes at the same instant a few seconds from now: one wait for all.
 */
async function draftsWithMilestones(
  t: TestApp,
  b: Broadcaster,
  s: Studio,
  bids: Record<string, unknown>[],
): Promise<Awarded[]> {
  const drafts = await draftContracts(
    t,
    bids.map((extra) => ({ broadcaster: b, studio: s, bid: bidBody(PRICE, extra) })),
  );
  return Promise.all(
    drafts.map(async ({ contractId }) => {
      const res = await t
        .http()
        .get(api(`/contracts/${contractId}/milestones`))
        .set(...bearer(b.commissioner));
      if (res.status !== 200) throw new Error(`milestones: ${res.status} ${JSON.stringify(res.body)}`);
      return { contractId, milestones: res.body.items as MilestoneView[] };
    }),
  );
}

/** Both parties sign the current terms: the contract becomes active. */
async function activate(t: TestApp, b: Broadcaster, s: Studio, contractId: string): Promise<void> {
  await signCurrentTerms(t, b, s, contractId);
  const after = await t
    .http()
    .get(api(`/contracts/${contractId}`))
    .set(...bearer(b.commissioner));
  if (after.body.status !== 'active') throw new Error(`not active: ${JSON.stringify(after.body)}`);
}

/**
 * Registers a small deliverable on the milestone, uploads it over tus and waits for the
 * verification: `ready`, or `rejected` when `corrupt` declares a checksum of other bytes.
 */
async function uploadDeliverable(
  t: TestApp,
  producer: Actor,
  milestoneId: string,
  opts: { corrupt?: boolean; register?: boolean } = {},
): Promise<string> {
  const data = randomBytes(48 * 1024);
  const declared = opts.corrupt ? randomBytes(data.length) : data;
  const reg = await t
    .http()
    .post(api(`/milestones/${milestoneId}/deliverables`))
    .set(...bearer(producer))
    .send({
      kind: 'script',
      fileName: 'episode-01.pdf',
      size: data.length,
      sha256: createHash('sha256').update(declared).digest('hex'),
      contentType: 'application/pdf',
    });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const id = reg.body.deliverable.id as string;
  if (opts.register) return id; // registered only: stays `uploading`
  await tusUpload(reg.body.uploadUrl as string, producer.token, data);
  const expected = opts.corrupt ? 'rejected' : 'ready';
  await eventually(async () => {
    const list = await t
      .http()
      .get(api(`/milestones/${milestoneId}/deliverables`))
      .set(...bearer(producer));
    return (list.body.items as { id: string; status: string }[]).some(
      (d) => d.id === id && d.status === expected,
    );
  });
  return id;
}

describe('Milestones', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  let otherB: Broadcaster;
  let otherS: Studio;

  /** Active; its milestones: [0] the review loop, [1] illegal transitions, [2] the accept race. */
  let main: Awarded;
  /** Active; [0] submitted, [1] pending with a ready file (role checks), [2] the review escalation. */
  let roles: Awarded;
  /** Never signed. */
  let draft: Awarded;
  /** Terminated with [0] submitted and [1] pending with a ready file. */
  let ended: Awarded;
  /** Drafted with its first two milestones due within 3 days. */
  let dueSoon: Awarded;
  let dueSoonDates: string[];

  const act = (by: Actor, action: Action, milestoneId: string, body?: object): Promise<Response> => {
    const req = t
      .http()
      .post(api(`/milestones/${milestoneId}/${action}`))
      .set(...bearer(by));
    return body ? req.send(body) : req;
  };
  const review = (by: Actor, action: Action, milestoneId: string): Promise<Response> =>
    act(
      by,
      action,
      milestoneId,
      action === 'request-changes' ? { notes: 'Please fix the sound mix' } : undefined,
    );
  const statusOf = async (contract: Awarded, milestoneId: string): Promise<string> => {
    const res = await t
      .http()
      .get(api(`/contracts/${contract.contractId}/milestones`))
      .set(...bearer(s.producer));
    expect(res.status).toBe(200);
    return (res.body.items as MilestoneView[]).find((m) => m.id === milestoneId)!.status;
  };
  /** The notifications of `type` about this milestone that the user has. */
  const notified = (by: Actor, type: string, milestoneId: string, app = t): Promise<Notification[]> =>
    notificationsAbout(app, by, type, { milestoneId });
  const outboxCount = async (app: TestApp, type: string, milestoneId: string): Promise<number> => {
    const { rows } = await app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE type = $1 AND payload->'data'->>'milestoneId' = $2`,
      [type, milestoneId],
    );
    return rows[0]!.n;
  };

  beforeAll(async () => {
    // MILESTONE_REVIEW_DAYS=0: a submission is overdue for review at once.
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0', MILESTONE_REVIEW_DAYS: '0' });
    [b, s, otherB, otherS] = await Promise.all([
      createBroadcaster(t),
      createStudio(t),
      createBroadcaster(t),
      createStudio(t, { verified: false }),
    ]);
    const near = [inDays(1), inDays(2), inDays(60)];
    dueSoonDates = near;
    const nearSchedule = {
      milestones: near.map((dueAt, i) => ({ title: `Delivery ${i + 1}`, share: [30, 30, 40][i], dueAt })),
    };
    [main, roles, draft, ended, dueSoon] = (await draftsWithMilestones(t, b, s, [
      {},
      {},
      {},
      {},
      nearSchedule,
    ])) as [Awarded, Awarded, Awarded, Awarded, Awarded];
    await Promise.all([main, roles, ended].map((c) => activate(t, b, s, c.contractId)));
    const ready = (m: MilestoneView): Promise<string> => uploadDeliverable(t, s.producer, m.id);
    await Promise.all([
      ready(main.milestones[1]!),
      ready(main.milestones[2]!),
      ready(roles.milestones[0]!),
      ready(roles.milestones[1]!),
      ready(roles.milestones[2]!),
      ready(ended.milestones[0]!),
      ready(ended.milestones[1]!),
    ]);
    for (const m of [roles.milestones[0]!, ended.milestones[0]!]) {
      const res = await act(s.producer, 'submit', m.id);
      if (res.status !== 200) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const terminated = await t
      .http()
      .post(api(`/contracts/${ended.contractId}/terminate`))
      .set(...bearer(b.commissioner))
      .send({ reason: 'The channel closed the slot' });
    if (terminated.status !== 200) throw new Error(`terminate: ${terminated.status}`);
  });
  afterAll(() => t.close());

  describe('the review loop', () => {
    it('submits a milestone only with a ready deliverable: 409 NO_READY_DELIVERABLE before', async () => {
      const m = main.milestones[0]!;
      expectProblem(await act(s.producer, 'submit', m.id), 409, 'NO_READY_DELIVERABLE');
      // A file still uploading does not count, nor does one whose checksum did not match.
      await uploadDeliverable(t, s.producer, m.id, { register: true });
      expectProblem(await act(s.producer, 'submit', m.id), 409, 'NO_READY_DELIVERABLE');
      await uploadDeliverable(t, s.producer, m.id, { corrupt: true });
      expectProblem(await act(s.producer, 'submit', m.id), 409, 'NO_READY_DELIVERABLE');
      expect(await statusOf(main, m.id)).toBe('pending');

      await uploadDeliverable(t, s.producer, m.id);
      const res = await act(s.producer, 'submit', m.id);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ ...m, status: 'submitted' });
      expect(await statusOf(main, m.id)).toBe('submitted');
    });

    it("notifies the broadcaster's commissioners (and admins) of the submission, not its finance", async () => {
      const m = main.milestones[0]!;
      for (const by of [b.commissioner, b.admin]) {
        await eventually(async () => (await notified(by, 'milestone.submitted', m.id)).length === 1);
      }
      expect(await notified(b.finance, 'milestone.submitted', m.id)).toEqual([]);
    });

    it('needs notes to request changes: 400 without them', async () => {
      const m = main.milestones[0]!;
      for (const body of [{}, { notes: '' }, { notes: '   ' }, { notes: 42 }]) {
        expectProblem(await act(b.commissioner, 'request-changes', m.id, body), 400);
      }
      expect(await statusOf(main, m.id)).toBe('submitted');
    });

    it('requests changes with notes, and the studio hears of it', async () => {
      const m = main.milestones[0]!;
      const res = await act(b.commissioner, 'request-changes', m.id, { notes: 'Subtitles are out of sync' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('changes_requested');
      const [note] = await eventually(async () => {
        const found = await notified(s.producer, 'milestone.changes_requested', m.id);
        return found.length === 1 && found;
      });
      expect(note!.data).toMatchObject({ contractId: main.contractId, notes: 'Subtitles are out of sync' });
    });

    it('refuses to accept or re-review a milestone whose changes are pending: 409', async () => {
      const m = main.milestones[0]!;
      expectProblem(await review(b.commissioner, 'accept', m.id), 409, 'MILESTONE_STATE_CONFLICT');
      expectProblem(await review(b.commissioner, 'request-changes', m.id), 409, 'MILESTONE_STATE_CONFLICT');
      expect(await statusOf(main, m.id)).toBe('changes_requested');
    });

    it('takes the resubmission and accepts it, writing milestone.accepted to the outbox', async () => {
      const m = main.milestones[0]!;
      const again = await act(s.producer, 'submit', m.id);
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('submitted');

      const accepted = await act(b.commissioner, 'accept', m.id);
      expect(accepted.status).toBe(200);
      expect(accepted.headers['cache-control']).toBe('no-store');
      expect(accepted.body).toEqual({ ...m, status: 'accepted' });
      expect(['accepted', 'invoiced']).toContain(await statusOf(main, m.id));

      const { rows } = await t.db.query<{ payload: { data: Record<string, unknown> } }>(
        `SELECT payload FROM outbox WHERE type = 'milestone.accepted' AND payload->'data'->>'milestoneId' = $1`,
        [m.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.payload.data).toMatchObject({
        milestoneId: m.id,
        contractId: main.contractId,
        amount: m.amount.amount,
      });
      await eventually(async () => (await notified(s.producer, 'milestone.accepted', m.id)).length === 1);
    });
  });

  describe('illegal transitions', () => {
    it('answers 409 MILESTONE_STATE_CONFLICT to every move the lifecycle does not allow', async () => {
      const m = main.milestones[1]!; // pending, with a ready file
      /** `action` is refused and the milestone stays in one of `states`. */
      const conflict = async (action: Action, ...states: string[]): Promise<void> => {
        const by = action === 'submit' ? s.producer : b.commissioner;
        const res = await review(by, action, m.id);
        expect({ action, from: states, status: res.status }).toEqual({ action, from: states, status: 409 });
        expectProblem(res, 409, 'MILESTONE_STATE_CONFLICT');
        expect(states).toContain(await statusOf(main, m.id));
      };

      await conflict('accept', 'pending');
      await conflict('request-changes', 'pending');

      expect((await act(s.producer, 'submit', m.id)).status).toBe(200);
      await conflict('submit', 'submitted');

      expect((await act(b.commissioner, 'accept', m.id)).status).toBe(200);
      // Finance invoices an accepted milestone in the background: `accepted`, soon `invoiced`.
      await conflict('accept', 'accepted', 'invoiced');
      await conflict('request-changes', 'accepted', 'invoiced');
      await conflict('submit', 'accepted', 'invoiced');
      await eventually(async () => (await statusOf(main, m.id)) === 'invoiced');
      await conflict('accept', 'invoiced');
      await conflict('request-changes', 'invoiced');
      await conflict('submit', 'invoiced');
      expect(await outboxCount(t, 'milestone.accepted', m.id)).toBe(1);
    });
  });

  describe('roles and visibility', () => {
    it('lets only the broadcaster review: 403 for the studio and for broadcaster finance', async () => {
      const m = roles.milestones[0]!; // submitted
      for (const by of [s.producer, s.admin, s.finance, b.finance]) {
        for (const action of ['accept', 'request-changes'] as const) {
          expectProblem(await review(by, action, m.id), 403, 'FORBIDDEN');
        }
      }
      expect(await statusOf(roles, m.id)).toBe('submitted');
    });

    it('lets only the studio submit: 403 for the broadcaster and for studio finance', async () => {
      const m = roles.milestones[1]!; // pending, with a ready file
      for (const by of [b.commissioner, b.admin, b.finance, s.finance]) {
        expectProblem(await act(by, 'submit', m.id), 403, 'FORBIDDEN');
      }
      expect(await statusOf(roles, m.id)).toBe('pending');
    });

    it('answers 404 to other organisations, and for milestones that do not exist', async () => {
      const submitted = roles.milestones[0]!;
      const pending = roles.milestones[1]!;
      const attempts: [Actor, Action, string][] = [
        [otherB.commissioner, 'accept', submitted.id],
        [otherB.admin, 'request-changes', submitted.id],
        [otherS.producer, 'submit', pending.id],
        [otherS.admin, 'submit', pending.id],
        [b.commissioner, 'accept', randomUUID()],
        [s.producer, 'submit', randomUUID()],
      ];
      for (const [by, action, id] of attempts) expectProblem(await review(by, action, id), 404, 'NOT_FOUND');
      expectProblem(await review(b.commissioner, 'accept', 'not-a-uuid'), 400);
      expect(await statusOf(roles, submitted.id)).toBe('submitted');
      expect(await statusOf(roles, pending.id)).toBe('pending');

      // What was refused above is allowed to the right people.
      expect((await act(b.commissioner, 'accept', submitted.id)).status).toBe(200);
      expect((await act(s.producer, 'submit', pending.id)).status).toBe(200);
    });

    it('answers 409 CONTRACT_STATE_CONFLICT on a draft contract', async () => {
      const m = draft.milestones[0]!;
      expectProblem(await act(s.producer, 'submit', m.id), 409, 'CONTRACT_STATE_CONFLICT');
      expectProblem(await review(b.commissioner, 'accept', m.id), 409, 'CONTRACT_STATE_CONFLICT');
      expectProblem(await review(b.commissioner, 'request-changes', m.id), 409, 'CONTRACT_STATE_CONFLICT');
      expect(await statusOf(draft, m.id)).toBe('pending');
    });

    it('answers 409 CONTRACT_STATE_CONFLICT on a terminated contract', async () => {
      const [submitted, ready] = ended.milestones;
      expectProblem(await act(s.producer, 'submit', ready!.id), 409, 'CONTRACT_STATE_CONFLICT');
      expectProblem(await review(b.commissioner, 'accept', submitted!.id), 409, 'CONTRACT_STATE_CONFLICT');
      expectProblem(
        await review(b.commissioner, 'request-changes', submitted!.id),
        409,
        'CONTRACT_STATE_CONFLICT',
      );
      expect(await statusOf(ended, submitted!.id)).toBe('submitted');
      expect(await statusOf(ended, ready!.id)).toBe('pending');
      expect(await outboxCount(t, 'milestone.accepted', submitted!.id)).toBe(0);
    });
  });

  describe('concurrent reviews', () => {
    it('accepts a milestone once when ten accept requests race', async () => {
      const m = main.milestones[2]!;
      expect((await act(s.producer, 'submit', m.id)).status).toBe(200);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => act(b.commissioner, 'accept', m.id)),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused).toHaveLength(9);
      for (const res of refused) expectProblem(res, 409, 'MILESTONE_STATE_CONFLICT');
      expect(['accepted', 'invoiced']).toContain(await statusOf(main, m.id));
      expect(await outboxCount(t, 'milestone.accepted', m.id)).toBe(1);
    });
  });

  describe('reminders', () => {
    it("escalates a submission not reviewed in MILESTONE_REVIEW_DAYS to the broadcaster's admins only", async () => {
      const m = roles.milestones[2]!; // pending, with a ready file
      expect((await act(s.producer, 'submit', m.id)).status).toBe(200);
      const [overdue] = await eventually(async () => {
        const found = await notified(b.admin, 'milestone.review_overdue', m.id);
        return found.length > 0 && found;
      });
      expect(overdue!.data).toMatchObject({ milestoneId: m.id, contractId: roles.contractId });
      expect(await notified(b.admin, 'milestone.review_overdue', m.id)).toHaveLength(1);
      for (const by of [b.commissioner, b.finance, s.producer, s.admin]) {
        expect(await notified(by, 'milestone.review_overdue', m.id)).toEqual([]);
      }
    });

    it('tells the studio when a milestone falls due within 3 days, once the contract is active', async () => {
      const [first, second, later] = dueSoon.milestones;
      expect([first!.dueAt, second!.dueAt, later!.dueAt]).toEqual(dueSoonDates);
      // Nothing is scheduled for a draft.
      const { rows: before } = await t.db.query(
        `SELECT 1 FROM outbox WHERE type = 'milestone.reminder' AND payload->>'milestoneId' = ANY($1::text[])`,
        [dueSoon.milestones.map((m) => m.id)],
      );
      expect(before).toEqual([]);

      await activate(t, b, s, dueSoon.contractId);
      for (const m of [first!, second!]) {
        for (const by of [s.producer, s.admin]) {
          await eventually(async () => (await notified(by, 'milestone.due_soon', m.id)).length === 1);
        }
        for (const by of [s.finance, b.commissioner, b.admin]) {
          expect(await notified(by, 'milestone.due_soon', m.id)).toEqual([]);
        }
      }
      // The one due in 60 days is scheduled for 3 days before its due date, not sent now.
      const { rows } = await t.db.query<{ at: Date; published: boolean }>(
        `SELECT available_at AS at, published_at IS NOT NULL AS published FROM outbox
          WHERE type = 'milestone.reminder' AND payload->>'milestoneId' = $1`,
        [later!.id],
      );
      expect(rows).toEqual([{ at: new Date(Date.parse(later!.dueAt) - 3 * DAY_MS), published: false }]);
      expect(await notified(s.producer, 'milestone.due_soon', later!.id)).toEqual([]);
    });
  });

  describe('reminders with the default review period', () => {
    // A second app with MILESTONE_REVIEW_DAYS at its default (10): the escalation waits in the
    // outbox, and the test moves its time forward to "10 days later".
    let t2: TestApp;
    let b2: Broadcaster;
    let s2: Studio;
    let contract: Awarded;

    const reminderOf = async (milestoneId: string) => {
      const { rows } = await t2.db.query<{ id: string; on_time: boolean; published: boolean }>(
        `SELECT o.id, o.available_at = m.submitted_at + interval '10 days' AS on_time,
                o.published_at IS NOT NULL AS published
           FROM outbox o JOIN milestones m ON m.id::text = o.payload->>'milestoneId'
          WHERE o.type = 'milestone.reminder' AND o.payload->>'kind' = 'review_overdue' AND m.id = $1`,
        [milestoneId],
      );
      expect(rows).toHaveLength(1);
      return rows[0]!;
    };
    /** Makes a scheduled reminder due now and waits until its handler has run. */
    const fastForward = async (outboxId: string): Promise<void> => {
      await t2.db.query('UPDATE outbox SET available_at = now() WHERE id = $1', [outboxId]);
      await eventually(async () => {
        const { rows } = await t2.db.query('SELECT 1 FROM outbox WHERE id = $1 AND handled_at IS NOT NULL', [
          outboxId,
        ]);
        return rows.length === 1;
      });
    };
    const submit2 = (milestoneId: string) =>
      t2
        .http()
        .post(api(`/milestones/${milestoneId}/submit`))
        .set(...bearer(s2.producer));

    beforeAll(async () => {
      t2 = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
      [b2, s2] = await Promise.all([createBroadcaster(t2), createStudio(t2)]);
      contract = (await draftsWithMilestones(t2, b2, s2, [{}]))[0]!;
      await activate(t2, b2, s2, contract.contractId);
      await Promise.all(contract.milestones.slice(0, 2).map((m) => uploadDeliverable(t2, s2.producer, m.id)));
    });
    afterAll(() => t2.close());

    it('escalates a submission once its review period has passed', async () => {
      const m = contract.milestones[0]!;
      expect((await submit2(m.id)).status).toBe(200);
      const reminder = await reminderOf(m.id);
      expect(reminder).toMatchObject({ on_time: true, published: false });
      await fastForward(reminder.id);
      await eventually(
        async () => (await notified(b2.admin, 'milestone.review_overdue', m.id, t2)).length === 1,
      );
    });

    it('does not escalate a milestone that was accepted in time', async () => {
      const m = contract.milestones[1]!;
      expect((await submit2(m.id)).status).toBe(200);
      const reminder = await reminderOf(m.id);
      expect(reminder).toMatchObject({ on_time: true, published: false });
      const accepted = await t2
        .http()
        .post(api(`/milestones/${m.id}/accept`))
        .set(...bearer(b2.commissioner));
      expect(accepted.status).toBe(200);
      await fastForward(reminder.id);
      expect(await outboxCount(t2, 'milestone.review_overdue', m.id)).toBe(0);
      expect(await notified(b2.admin, 'milestone.review_overdue', m.id, t2)).toEqual([]);
    });
  });
});
