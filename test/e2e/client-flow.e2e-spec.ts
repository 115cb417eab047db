import { createHash, randomBytes } from 'node:crypto';
import { createEfirClient, EfirApiError, ok, type components, type EfirClient } from '../../client';
import { addMember, type Actor } from '../factories';
import {
  bidBody,
  briefBody,
  createBroadcaster,
  createStudio,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { notificationsAbout, waitForNotification } from '../utils/notifications';
import { tusUpload } from '../utils/tus';

// Commissioning → delivery → finance, end to end, through the typed client generated from the
// OpenAPI document (client/): a contract change breaks this file's typecheck, not a user.
// Organisations and members are set up by the shared factories; tus uploads stay on tus-js-client
// (tus is not JSON).

interface Money {
  amount: number;
  currency: string;
}
interface Milestone {
  id: string;
  amount: Money;
}

/** The rows of a short list (one page: `{ items, nextCursor: null }`), as every list answers. */
function rows<T>(page: { items: T[]; nextCursor?: string | null } | undefined): T[] {
  expect(page?.nextCursor).toBeNull();
  return page!.items;
}

/** The status and problem code of a call that must fail. */
async function failure(call: Promise<unknown>): Promise<{ status: number; code: string | undefined }> {
  const err: unknown = await ok(call as Promise<{ response: Response }>).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof EfirApiError)) throw new Error(`expected an error answer, got ${String(err)}`);
  return { status: err.status, code: err.code };
}

describe('Commissioning, delivery and finance, end to end through the typed client', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s1: Studio;
  let s2: Studio;
  let finance2: Actor;
  let baseUrl: string;
  const clients = new Map<string, EfirClient>();
  /** The client signed in as `actor`. */
  const as = (actor: Actor): EfirClient => {
    let c = clients.get(actor.token);
    if (!c) {
      c = createEfirClient({ baseUrl, token: actor.token });
      clients.set(actor.token, c);
    }
    return c;
  };

  // Carried from one stage to the next.
  let contractId: string;
  let milestones: Milestone[];

  beforeAll(async () => {
    // Every payout above 1 tiyn needs a second approver.
    // Reminders of unpaid invoices are due at once (INVOICE_REMINDER_DAYS=0).
    t = await startApp({
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      BRIEF_AMENDMENT_MIN_NOTICE_SECONDS: '1',
      PAYOUT_DUAL_APPROVAL_THRESHOLD: '1',
      INVOICE_REMINDER_DAYS: '0',
    });
    baseUrl = `${await t.app.getUrl()}${API}`;
    b = await createBroadcaster(t);
    s1 = await createStudio(t, { genres: ['documentary'] });
    s2 = await createStudio(t, { genres: ['documentary'] });
    finance2 = await addMember(t, b.admin, 'finance');
    await ok(
      as(b.admin).PATCH('/organisations/{id}', {
        params: { path: { id: b.admin.organisationId } },
        body: { vatRate: 12 },
      }),
    );
  });
  afterAll(() => t.close());

  it('takes a brief from publishing through sealed bids to an award and a signed contract', async () => {
    const body = briefBody({ closesIn: 4, questionsIn: 2 }) as components['schemas']['CreateBriefDto'];
    const created = await ok(as(b.commissioner).POST('/briefs', { body }));
    const briefId = created.id;
    await ok(as(b.commissioner).POST('/briefs/{id}/publish', { params: { path: { id: briefId } } }));

    const submit = async (by: Actor, price: number) =>
      await ok(
        as(by).POST('/briefs/{id}/bids', {
          params: { path: { id: briefId } },
          body: { ...(bidBody(price) as components['schemas']['CreateBidDto']), submit: true },
        }),
      );
    const bid1 = await submit(s1.producer, 100_000_000_00);
    const bid2 = await submit(s2.producer, 90_000_000_01);
    expect(bid1.status).toBe('submitted');
    expect(bid1.receipt?.commitment).toMatch(/^[0-9a-f]{64}$/);

    const sealed = await failure(
      as(b.commissioner).GET('/briefs/{id}/bids', { params: { path: { id: briefId } } }),
    );
    expect(sealed).toEqual({ status: 409, code: 'BIDS_SEALED' });
    const other = await failure(as(s2.producer).GET('/bids/{id}', { params: { path: { id: bid1.id } } }));
    expect(other.status).toBe(404);

    await waitUntilPast(t, body.bidsCloseAt as string);
    const brief = await ok(as(s1.producer).GET('/briefs/{id}', { params: { path: { id: briefId } } }));
    expect(brief.status).toBe('closed');

    const listed = await as(b.commissioner).GET('/briefs/{id}/bids', {
      params: { path: { id: briefId } },
    });
    expect(listed.response.status).toBe(200);
    expect(listed.response.headers.get('cache-control')).toBe('no-store');
    const bids = rows(listed.data);
    expect(bids.map((x) => x.id).sort()).toEqual([bid1.id, bid2.id].sort());

    const opening = await ok(
      as(s1.producer).GET('/briefs/{id}/bid-opening', { params: { path: { id: briefId } } }),
    );
    expect(opening.commitments).toContainEqual({ bidId: bid1.id, commitment: bid1.receipt?.commitment });

    await ok(
      as(b.commissioner).PUT('/bids/{id}/scores', {
        params: { path: { id: bid1.id } },
        body: {
          scores: [
            { criterion: 'creative', score: 9 },
            { criterion: 'team', score: 8 },
            { criterion: 'price', score: 6 },
          ],
        },
      }),
    );
    const ranking = rows(
      await ok(as(b.commissioner).GET('/briefs/{id}/ranking', { params: { path: { id: briefId } } })),
    );
    expect(ranking[0]!.bidId).toBe(bid1.id);

    const awards = await Promise.all(
      Array.from({ length: 10 }, () =>
        as(b.commissioner).POST('/briefs/{id}/award', {
          params: { path: { id: briefId } },
          body: { bidId: bid2.id },
        }),
      ),
    );
    const won = awards.filter((r) => r.response.status === 201);
    expect(won).toHaveLength(1);
    expect(awards.filter((r) => r.response.status === 409)).toHaveLength(9);
    contractId = won[0]!.data!.contractId;

    const contract = await ok(
      as(s2.producer).GET('/contracts/{id}', { params: { path: { id: contractId } } }),
    );
    expect(contract.value).toEqual({ amount: 90_000_000_01, currency: 'KZT' });
    expect(contract.milestones.reduce((a, m) => a + m.amount.amount, 0)).toBe(90_000_000_01);
    milestones = contract.milestones;

    await waitForNotification(t, s1.producer, 'bid.not_selected');

    // Both parties sign the current terms: the contract becomes active.
    for (const signer of [b.commissioner, s2.producer]) {
      await ok(
        as(signer).POST('/contracts/{id}/sign', {
          params: { path: { id: contractId } },
          body: { termsHash: contract.termsHash },
        }),
      );
    }
    const active = await ok(
      as(b.commissioner).GET('/contracts/{id}', { params: { path: { id: contractId } } }),
    );
    expect(active.status).toBe('active');
  });

  /** Registers a deliverable of `data` on the milestone and uploads it over tus until it is ready. */
  async function deliver(milestoneId: string, data: Buffer, fileName: string): Promise<string> {
    const reg = await as(s2.producer).POST('/milestones/{id}/deliverables', {
      params: { path: { id: milestoneId } },
      body: {
        kind: 'script',
        fileName,
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        contentType: 'application/pdf',
      },
    });
    expect(reg.response.status).toBe(201);
    const registered = reg.data!;
    expect(registered.deliverable.status).toBe('uploading');

    await tusUpload(registered.uploadUrl, s2.producer.token, data);
    await eventually(async () => {
      const list = rows(
        await ok(
          as(b.commissioner).GET('/milestones/{id}/deliverables', {
            params: { path: { id: milestoneId } },
          }),
        ),
      );
      return list.some((d) => d.id === registered.deliverable.id && d.status === 'ready');
    });
    return registered.deliverable.id;
  }

  /** The studio submits the milestone for review and the broadcaster accepts it. */
  async function submitAndAccept(milestoneId: string): Promise<void> {
    await ok(as(s2.producer).POST('/milestones/{id}/submit', { params: { path: { id: milestoneId } } }));
    const accepted = await as(b.commissioner).POST('/milestones/{id}/accept', {
      params: { path: { id: milestoneId } },
    });
    expect(accepted.response.status).toBe(200);
    expect(accepted.data?.status).toBe('accepted');
  }

  it('uploads a deliverable over tus, verifies it, and takes every milestone through review', async () => {
    const first = milestones[0]!;
    const data = randomBytes(700 * 1024);
    const deliverableId = await deliver(first.id, data, 'ep01 script.pdf');

    const ranged = await as(b.commissioner).GET('/deliverables/{id}/content', {
      params: { path: { id: deliverableId } },
      headers: { Range: 'bytes=100-199' },
      parseAs: 'arrayBuffer',
    });
    expect(ranged.response.status).toBe(206);
    const bytes = Buffer.from(ranged.data!);
    expect(Buffer.compare(bytes, data.subarray(100, 200))).toBe(0);

    await submitAndAccept(first.id);
    for (const m of milestones.slice(1)) {
      await deliver(m.id, randomBytes(64 * 1024), 'script.pdf');
      await submitAndAccept(m.id);
    }
  });

  it('invoices accepted milestones, pays them once, and completes the contract', async () => {
    const invoices = await eventually(async () => {
      const page = await ok(as(b.finance).GET('/invoices', { params: { query: { status: 'open' } } }));
      return page.items.length === milestones.length ? page.items : undefined;
    });
    const value = milestones.reduce((a, m) => a + m.amount.amount, 0);
    const vat = invoices.reduce((a, i) => a + i.vat.amount, 0);
    expect(vat).toBeGreaterThan(0);

    const balance = await ok(
      as(s2.finance).GET('/contracts/{id}/balance', { params: { path: { id: contractId } } }),
    );
    expect(balance.committed.amount).toBe(value);
    expect(balance.invoiced.amount).toBe(value + vat);
    expect(balance.outstanding.amount).toBe(value + vat);

    // Every open invoice reminds the broadcaster's finance users that it is unpaid.
    await eventually(
      async () => (await notificationsAbout(t, b.finance, 'invoice.overdue')).length === milestones.length,
    );

    const ids = invoices.map((i) => i.id);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        as(b.finance).POST('/payouts', {
          params: { header: { 'Idempotency-Key': 'same-key-0001' } },
          body: { invoiceIds: ids },
        }),
      ),
    );
    expect(results.every((r) => r.response.status === 201)).toBe(true);
    const payouts = results.map((r) => r.data!);
    expect(new Set(payouts.map((p) => p.id)).size).toBe(1);
    const payout = payouts[0]!;
    expect(payout.status).toBe('pending_approval');

    const path = { path: { id: payout.id } };
    expect((await failure(as(b.finance).POST('/payouts/{id}/approve', { params: path }))).status).toBe(403);
    await ok(as(finance2).POST('/payouts/{id}/approve', { params: path }));
    const paid = { reference: 'KZ-BANK-0001', paidAt: '2026-11-28' };
    await ok(as(b.finance).POST('/payouts/{id}/mark-paid', { params: path, body: paid }));
    expect(
      (await failure(as(b.finance).POST('/payouts/{id}/mark-paid', { params: path, body: paid }))).status,
    ).toBe(409);

    const after = await ok(
      as(b.finance).GET('/contracts/{id}/balance', { params: { path: { id: contractId } } }),
    );
    expect(after.paid.amount).toBe(value + vat);
    expect(after.outstanding.amount).toBe(0);
    const contract = await ok(
      as(b.commissioner).GET('/contracts/{id}', { params: { path: { id: contractId } } }),
    );
    expect(contract.status).toBe('completed');

    const { rows: unbalanced } = await t.db.query<{ unbalanced: number }>(
      `SELECT count(*)::int AS unbalanced FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id, currency
        HAVING sum(amount) <> 0) x`,
    );
    expect(unbalanced[0]!.unbalanced).toBe(0);

    // The database itself keeps a contract's milestones summing to its value.
    await expect(
      t.db.query('UPDATE milestones SET amount = amount + 1 WHERE id = $1', [milestones[0]!.id]),
    ).rejects.toThrow(/milestones of contract .* sum to/);
  });
});
