import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  assertBalanced,
  LedgerService,
  type AccountKind,
  type Posting,
} from '../../src/modules/finance/ledger.service';
import { InvoicingService } from '../../src/modules/finance/invoicing.service';
import { activeContract, createBroadcaster, createStudio } from '../factories/commissioning';
import { eventually, startApp, type TestApp } from '../utils/app';

/**
 * Model-based property test of the double-entry ledger against the real database: random
 * sequences of invoice postings, payments, reversals, repeated postings and unbalanced
 * attempts, run through LedgerService (one database transaction per operation), with a model
 * tracking what each contract's balance must be. Every sequence gets fresh contracts (rows
 * cloned from one contract activated through the HTTP flow, with a random value), committed by
 * the real activation handler, so runs are independent and shrinking gives minimal sequences.
 */

const RUNS = 200;
const MAX_OPS = 20;
const CURRENCY = 'KZT';

type Op =
  | { op: 'invoice'; c: number; amount: number; vat: number }
  | { op: 'pay'; pick: number }
  | { op: 'reverse'; pick: number }
  | { op: 'reverseAgain'; pick: number }
  | { op: 'repost'; pick: number }
  | { op: 'unbalanced'; c: number; entries: { kind: AccountKind; amount: number; currency: string }[] };

interface ModelInvoice {
  c: number;
  txId: string;
  reference: string;
  postings: Posting[];
  total: bigint;
  paid: boolean;
  reversed: boolean;
}
interface ModelPayment {
  txId: string;
  invoice: ModelInvoice;
  reversed: boolean;
}
interface Figures {
  committed: bigint;
  invoiced: bigint;
  paid: bigint;
}

const KINDS: AccountKind[] = ['commitment', 'commitment_offset', 'expense', 'vat_input', 'payable', 'cash'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('invoice' as const),
      c: fc.nat(),
      amount: fc.integer({ min: 1, max: 1_000_000_000 }),
      vat: fc.integer({ min: 0, max: 120_000_000 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('pay' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverseAgain' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repost' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('unbalanced' as const),
      c: fc.nat(),
      entries: fc
        .array(
          fc.record({
            kind: fc.constantFrom(...KINDS),
            amount: fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((a) => a !== 0),
            currency: fc.constantFrom('KZT', 'USD'),
          }),
          { minLength: 1, maxLength: 4 },
        )
        // unbalanced in at least one currency (KZT +100 with USD -100 sums to zero, yet is unbalanced)
        .filter((es) =>
          ['KZT', 'USD'].some(
            (cur) => es.filter((e) => e.currency === cur).reduce((s, e) => s + e.amount, 0) !== 0,
          ),
        ),
    }),
  },
);

describe('Ledger properties', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let invoicing: InvoicingService;
  let ds: DataSource;
  let template: { contractId: string; briefId: string; bidId: string; broadcasterId: string; value: bigint };

  const columns = new Map<string, string>();
  /** A copy of a row with new values for some columns (generated columns are left to the database). */
  async function cloneRow(table: string, id: string, changes: Record<string, unknown>): Promise<string> {
    if (!columns.has(table)) {
      const { rows } = await t.db.query<{ name: string }>(
        `SELECT quote_ident(column_name) AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        [table],
      );
      columns.set(table, rows.map((r) => r.name).join(', '));
    }
    const cols = columns.get(table)!;
    const copy = await t.db.query<{ id: string }>(
      `INSERT INTO ${table} (${cols})
       SELECT ${cols} FROM jsonb_populate_record(NULL::${table}, (SELECT to_jsonb(x) FROM ${table} x WHERE x.id = $1) || $2::jsonb)
       RETURNING id`,
      [id, JSON.stringify({ id: randomUUID(), ...changes })],
    );
    return copy.rows[0]!.id;
  }

  /** A fresh active contract of `value` (its own brief and bid), with nothing posted yet. */
  async function freshContract(value: number): Promise<string> {
    const briefId = await cloneRow('briefs', template.briefId, {});
    const bidId = await cloneRow('bids', template.bidId, { brief_id: briefId });
    return cloneRow('contracts', template.contractId, {
      brief_id: briefId,
      bid_id: bidId,
      value_amount: value,
    });
  }

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    const [b, s] = await Promise.all([createBroadcaster(t), createStudio(t, { genres: ['documentary'] })]);
    const made = await activeContract(t, b, s);
    const { rows } = await t.db.query<{ brief_id: string; bid_id: string }>(
      'SELECT brief_id, bid_id FROM contracts WHERE id = $1',
      [made.contractId],
    );
    template = {
      contractId: made.contractId,
      briefId: rows[0]!.brief_id,
      bidId: rows[0]!.bid_id,
      broadcasterId: b.admin.organisationId,
      value: made.milestones.reduce((a, m) => a + BigInt(m.amount.amount), 0n),
    };
    ledger = t.app.get(LedgerService);
    invoicing = t.app.get(InvoicingService);
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('starts an activated contract with its value committed and nothing invoiced', async () => {
    // activation posts the commitment through an outbox handler
    const balance = await eventually(async () => {
      const b = await ledger.contractBalance(ds.manager, template.contractId, CURRENCY);
      return b.committed.amount > 0 ? b : undefined;
    });
    expect(balance).toEqual({
      committed: { amount: Number(template.value), currency: CURRENCY },
      invoiced: { amount: 0, currency: CURRENCY },
      paid: { amount: 0, currency: CURRENCY },
      outstanding: { amount: 0, currency: CURRENCY },
    });
  });

  it(`keeps every transaction balanced and every contract balance equal to the model (${RUNS} sequences of up to ${MAX_OPS} operations)`, async () => {
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 100_000_000_000 }), { minLength: 2, maxLength: 3 }),
        fc.array(opArb, { maxLength: MAX_OPS }),
        async (values, ops) => {
          sequences++;
          // fresh contracts for every sequence (and every shrinking replay), committed on activation
          const contracts: { id: string; broadcasterId: string; commitment: string; uncommitted: boolean }[] =
            [];
          const model: Figures[] = [];
          for (const value of values) {
            const id = await freshContract(value);
            await ds.transaction((em) => invoicing.commit(em, id));
            const { rows } = await t.db.query<{ id: string }>(
              `SELECT id FROM ledger_transactions WHERE kind = 'commitment' AND reference = $1`,
              [id],
            );
            contracts.push({
              id,
              broadcasterId: template.broadcasterId,
              commitment: rows[0]!.id,
              uncommitted: false,
            });
            model.push({ committed: BigInt(value), invoiced: 0n, paid: 0n });
          }
          const invoices: ModelInvoice[] = [];
          const payments: ModelPayment[] = [];
          const reversed: string[] = [];
          const posted: string[] = contracts.map((c) => c.commitment);
          const refusedReferences: string[] = [];

          for (const o of ops) {
            switch (o.op) {
              case 'invoice': {
                const c = o.c % contracts.length;
                const contract = contracts[c]!;
                const base = {
                  organisationId: contract.broadcasterId,
                  contractId: contract.id,
                  currency: CURRENCY,
                };
                const amount = BigInt(o.amount);
                const vat = BigInt(o.vat);
                const postings: Posting[] = [
                  { ...base, kind: 'expense', amount },
                  ...(vat > 0n ? [{ ...base, kind: 'vat_input' as const, amount: vat }] : []),
                  { ...base, kind: 'payable', amount: -(amount + vat) },
                ];
                const reference = randomUUID();
                const txId = await ds.transaction((em) =>
                  ledger.post(
                    em,
                    { kind: 'invoice', reference, description: 'property', contractId: contract.id },
                    postings,
                  ),
                );
                expect(txId).toEqual(expect.any(String));
                invoices.push({
                  c,
                  txId: txId!,
                  reference,
                  postings,
                  total: amount + vat,
                  paid: false,
                  reversed: false,
                });
                posted.push(txId!);
                model[c]!.invoiced += amount + vat;
                break;
              }
              case 'pay': {
                const open = invoices.filter((i) => !i.paid && !i.reversed);
                if (!open.length) break;
                const inv = open[o.pick % open.length]!;
                const contract = contracts[inv.c]!;
                const base = {
                  organisationId: contract.broadcasterId,
                  contractId: contract.id,
                  currency: CURRENCY,
                };
                const txId = await ds.transaction((em) =>
                  ledger.post(
                    em,
                    {
                      kind: 'payment',
                      reference: randomUUID(),
                      description: 'property',
                      contractId: contract.id,
                    },
                    [
                      { ...base, kind: 'payable', amount: inv.total },
                      { ...base, kind: 'cash', amount: -inv.total },
                    ],
                  ),
                );
                expect(txId).toEqual(expect.any(String));
                inv.paid = true;
                payments.push({ txId: txId!, invoice: inv, reversed: false });
                posted.push(txId!);
                model[inv.c]!.paid += inv.total;
                break;
              }
              case 'reverse': {
                // a commitment, an unpaid invoice (a paid one is corrected by reversing its payment
                // first) or a payment
                type Candidate = { tx: string; undo: () => void };
                const candidates: Candidate[] = [
                  ...contracts
                    .map((c, n) => ({ c, n }))
                    .filter(({ c }) => !c.uncommitted)
                    .map(({ c, n }) => ({
                      tx: c.commitment,
                      undo: () => {
                        c.uncommitted = true;
                        model[n]!.committed = 0n;
                      },
                    })),
                  ...invoices
                    .filter((i) => !i.reversed && !i.paid)
                    .map((i) => ({
                      tx: i.txId,
                      undo: () => {
                        i.reversed = true;
                        model[i.c]!.invoiced -= i.total;
                      },
                    })),
                  ...payments
                    .filter((p) => !p.reversed)
                    .map((p) => ({
                      tx: p.txId,
                      undo: () => {
                        p.reversed = true;
                        p.invoice.paid = false;
                        model[p.invoice.c]!.paid -= p.invoice.total;
                      },
                    })),
                ];
                if (!candidates.length) break;
                const chosen = candidates[o.pick % candidates.length]!;
                const txId = await ds.transaction((em) =>
                  ledger.reverse(em, chosen.tx, 'property correction'),
                );
                expect(txId).toEqual(expect.any(String));
                posted.push(txId!);
                reversed.push(chosen.tx);
                chosen.undo();
                break;
              }
              case 'reverseAgain': {
                if (!reversed.length) break;
                const original = reversed[o.pick % reversed.length]!;
                expect(await ds.transaction((em) => ledger.reverse(em, original, 'again'))).toBeNull();
                break;
              }
              case 'repost': {
                if (!invoices.length) break;
                const inv = invoices[o.pick % invoices.length]!;
                const again = await ds.transaction((em) =>
                  ledger.post(
                    em,
                    {
                      kind: 'invoice',
                      reference: inv.reference,
                      description: 'again',
                      contractId: contracts[inv.c]!.id,
                    },
                    inv.postings,
                  ),
                );
                expect(again).toBeNull();
                break;
              }
              case 'unbalanced': {
                const contract = contracts[o.c % contracts.length]!;
                const postings: Posting[] = o.entries.map((e) => ({
                  kind: e.kind,
                  organisationId: contract.broadcasterId,
                  contractId: contract.id,
                  amount: BigInt(e.amount),
                  currency: e.currency,
                }));
                expect(() => assertBalanced(postings)).toThrow(/Unbalanced ledger transaction/);
                const reference = randomUUID();
                refusedReferences.push(reference);
                await expect(
                  ds.transaction((em) =>
                    ledger.post(
                      em,
                      { kind: 'invoice', reference, description: 'unbalanced', contractId: contract.id },
                      postings,
                    ),
                  ),
                ).rejects.toThrow(/Unbalanced ledger transaction/);
                // around assertBalanced: the deferred trigger refuses the COMMIT
                await expect(
                  ds.transaction(async (em) => {
                    const [tx] = await em.query<{ id: string }[]>(
                      `INSERT INTO ledger_transactions (kind, reference, description, contract_id)
                     VALUES ('invoice', $1, 'unbalanced, raw', $2) RETURNING id`,
                      [reference, contract.id],
                    );
                    for (const p of postings) {
                      const key = `${p.kind}:${p.contractId}:${p.currency}`;
                      await em.query(
                        `INSERT INTO ledger_accounts (key, kind, organisation_id, contract_id, currency)
                       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING`,
                        [key, p.kind, p.organisationId, p.contractId, p.currency],
                      );
                      await em.query(
                        `INSERT INTO ledger_entries (transaction_id, account_id, amount, currency)
                       SELECT $1, id, $2, $3 FROM ledger_accounts WHERE key = $4`,
                        [tx!.id, p.amount.toString(), p.currency, key],
                      );
                    }
                  }),
                ).rejects.toMatchObject({ code: '23514', constraint: 'ledger_entries_balanced' });
                break;
              }
            }
          }

          // 1. every transaction's entries sum to zero per currency
          const { rows: unbalanced } = await t.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM (SELECT 1 FROM ledger_entries GROUP BY transaction_id, currency
            HAVING sum(amount) <> 0) x`,
          );
          expect(unbalanced[0]!.n).toBe(0);
          // every posting of this sequence is there, with its entries; nothing of the refused ones
          const { rows: kept } = await t.db.query<{ n: number; empty: number }>(
            `SELECT count(*)::int AS n,
                  count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = t.id))::int AS empty
             FROM ledger_transactions t WHERE t.id = ANY($1::uuid[])`,
            [posted],
          );
          expect(kept[0]).toEqual({ n: posted.length, empty: 0 });
          const { rows: leaked } = await t.db.query(
            'SELECT 1 FROM ledger_transactions WHERE reference = ANY($1)',
            [refusedReferences],
          );
          expect(leaked).toHaveLength(0);

          for (const [c, contract] of contracts.entries()) {
            const balance = await ledger.contractBalance(ds.manager, contract.id, CURRENCY);
            const expected = model[c]!;
            // 2. the balance is the model's, and outstanding = invoiced - paid
            expect(balance).toEqual({
              committed: { amount: Number(expected.committed), currency: CURRENCY },
              invoiced: { amount: Number(expected.invoiced), currency: CURRENCY },
              paid: { amount: Number(expected.paid), currency: CURRENCY },
              outstanding: { amount: Number(expected.invoiced - expected.paid), currency: CURRENCY },
            });
            // 3. paid never exceeds invoiced
            expect(balance.paid.amount).toBeLessThanOrEqual(balance.invoiced.amount);
            expect(model[c]!.paid).toBeLessThanOrEqual(model[c]!.invoiced);
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(sequences).toBeGreaterThanOrEqual(RUNS);
  }, 120_000);
});
