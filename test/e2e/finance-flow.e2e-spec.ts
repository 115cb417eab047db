import { addMember, bearer, type Actor } from '../factories';
import {
  activeContract,
  createBroadcaster,
  createStudio,
  deliverAndAccept,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { eventually, startApp, type TestApp } from '../utils/app';
import { notificationsAbout } from '../utils/notifications';

describe('Finance, end to end', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  let finance2: Actor;

  beforeAll(async () => {
    // Every payout above 1 tiyn needs a second approver.
    // Reminders of unpaid invoices are due at once (INVOICE_REMINDER_DAYS=0).
    t = await startApp({
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      PAYOUT_DUAL_APPROVAL_THRESHOLD: '1',
      INVOICE_REMINDER_DAYS: '0',
    });
    b = await createBroadcaster(t);
    s = await createStudio(t, { genres: ['documentary'] });
    finance2 = await addMember(t, b.admin, 'finance');
    await t
      .http()
      .patch(`/api/v1/organisations/${b.admin.organisationId}`)
      .set(...bearer(b.admin))
      .send({ vatRate: 12 })
      .expect(200);
  });
  afterAll(() => t.close());

  it('invoices accepted milestones, pays them once, and completes the contract', async () => {
    const { contractId, milestones } = await activeContract(t, b, s);
    for (const m of milestones) await deliverAndAccept(t, b, s, m.id);

    const invoices = await eventually(async () => {
      const res = await t
        .http()
        .get('/api/v1/invoices?status=open')
        .set(...bearer(b.finance));
      return res.body.items.length === milestones.length ? res.body.items : undefined;
    });
    const value = milestones.reduce((a, m) => a + m.amount.amount, 0);
    const vat = invoices.reduce((a: number, i: { vat: { amount: number } }) => a + i.vat.amount, 0);
    expect(vat).toBeGreaterThan(0);

    const balance = await t
      .http()
      .get(`/api/v1/contracts/${contractId}/balance`)
      .set(...bearer(s.finance))
      .expect(200);
    expect(balance.body.committed.amount).toBe(value);
    expect(balance.body.invoiced.amount).toBe(value + vat);
    expect(balance.body.outstanding.amount).toBe(value + vat);

    // Every open invoice reminds the broadcaster's finance users that it is unpaid.
    await eventually(
      async () => (await notificationsAbout(t, b.finance, 'invoice.overdue')).length === milestones.length,
    );

    const ids = invoices.map((i: { id: string }) => i.id);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t
          .http()
          .post('/api/v1/payouts')
          .set(...bearer(b.finance))
          .set('Idempotency-Key', 'same-key-0001')
          .send({ invoiceIds: ids }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const payout = results[0]!.body;
    expect(payout.status).toBe('pending_approval');

    await t
      .http()
      .post(`/api/v1/payouts/${payout.id}/approve`)
      .set(...bearer(b.finance))
      .expect(403);
    await t
      .http()
      .post(`/api/v1/payouts/${payout.id}/approve`)
      .set(...bearer(finance2))
      .expect(200);
    await t
      .http()
      .post(`/api/v1/payouts/${payout.id}/mark-paid`)
      .set(...bearer(b.finance))
      .send({ reference: 'KZ-BANK-0001', paidAt: '2026-11-28' })
      .expect(200);
    await t
      .http()
      .post(`/api/v1/payouts/${payout.id}/mark-paid`)
      .set(...bearer(b.finance))
      .send({ reference: 'KZ-BANK-0001', paidAt: '2026-11-28' })
      .expect(409);

    const after = await t
      .http()
      .get(`/api/v1/contracts/${contractId}/balance`)
      .set(...bearer(b.finance))
      .expect(200);
    expect(after.body.paid.amount).toBe(value + vat);
    expect(after.body.outstanding.amount).toBe(0);
    const contract = await t
      .http()
      .get(`/api/v1/contracts/${contractId}`)
      .set(...bearer(b.commissioner))
      .expect(200);
    expect(contract.body.status).toBe('completed');

    const { rows } = await t.db.query<{ unbalanced: number }>(
      `SELECT count(*)::int AS unbalanced FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id, currency
        HAVING sum(amount) <> 0) x`,
    );
    expect(rows[0]!.unbalanced).toBe(0);

    // The database itself keeps a contract's milestones summing to its value.
    await expect(
      t.db.query('UPDATE milestones SET amount = amount + 1 WHERE id = $1', [milestones[0]!.id]),
    ).rejects.toThrow(/milestones of contract .* sum to/);
  });
});
