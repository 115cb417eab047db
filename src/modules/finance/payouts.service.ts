import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { cursorTsSql, decodeCursor, toPage, type Page, type PageQuery } from '../../shared/http/pagination';
import { money } from '../../shared/money';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import type { PayoutDto } from './dto/finance.dto';
import { FinanceErrors } from './finance.errors';
import { IdempotencyService, type IdempotentResult } from './idempotency.service';
import { FINANCE_ROLES } from './invoicing.service';
import { LedgerService } from './ledger.service';

interface PayoutRow {
  id: string;
  broadcaster_id: string;
  studio_id: string;
  studio_name: string;
  amount: string;
  currency: string;
  status: 'pending_approval' | 'approved' | 'paid';
  created_by: string;
  approved_by: string | null;
  reference: string | null;
  paid_on: string | null;
  created_at: Date;
  invoice_ids: string[];
  cursor_ts: string;
}

interface PaidInvoice {
  id: string;
  contract_id: string;
  milestone_id: string;
  total: string;
  currency: string;
}

const COLUMNS = `p.id, p.broadcaster_id, p.studio_id, so.name AS studio_name, p.amount, p.currency, p.status,
  p.created_by, p.approved_by, p.reference, p.paid_on::text AS paid_on, p.created_at,
  (SELECT array_agg(pi.invoice_id ORDER BY pi.invoice_id) FROM payout_invoices pi WHERE pi.payout_id = p.id) AS invoice_ids,
  ${cursorTsSql('p.created_at')} AS cursor_ts`;
const FROM = `payouts p JOIN organisations so ON so.id = p.studio_id`;

const toDto = (r: PayoutRow): PayoutDto => ({
  id: r.id,
  broadcasterId: r.broadcaster_id,
  studio: { id: r.studio_id, name: r.studio_name },
  invoiceIds: r.invoice_ids ?? [],
  amount: money(r.amount, r.currency),
  status: r.status,
  createdBy: r.created_by,
  approvedBy: r.approved_by,
  reference: r.reference,
  paidAt: r.paid_on,
  createdAt: r.created_at.toISOString(),
});

/** Finance users of a broadcaster (who pay) and of a studio (who are paid, read only). */
export function assertFinance(user: AuthUser): void {
  if (!(FINANCE_ROLES as readonly string[]).includes(user.role) || user.organisationKind === 'platform') {
    throw new DomainError(CommonErrors.FORBIDDEN, 'This is for finance users');
  }
}

function assertBroadcasterFinance(user: AuthUser): void {
  assertFinance(user);
  if (user.organisationKind !== 'broadcaster') {
    throw new DomainError(CommonErrors.FORBIDDEN, "This is for the broadcaster's finance users");
  }
}

/**
 * Payouts: created for open invoices of one studio (idempotent), approved by a second finance
 * user above PAYOUT_DUAL_APPROVAL_THRESHOLD, marked paid with the bank reference. Invoice rows
 * are locked while a payout takes them, and payout_invoices_invoice_key lets an invoice into at
 * most one payout: nothing is paid twice.
 */
@Injectable()
export class PayoutsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(
    user: AuthUser,
    invoiceIds: string[],
    key: string | undefined,
  ): Promise<IdempotentResult<PayoutDto>> {
    assertBroadcasterFinance(user);
    const request = { invoiceIds: [...invoiceIds].sort() };
    return this.ds.transaction((em) =>
      this.idempotency.run(
        em,
        { organisationId: user.organisationId, key, request, required: true },
        async () => {
          const invoices = await em.query<
            { id: string; studio_id: string; status: string; total: string; currency: string }[]
          >(
            `SELECT id, studio_id, status, total, currency FROM invoices
            WHERE id = ANY($1::uuid[]) AND broadcaster_id = $2 ORDER BY id FOR UPDATE`,
            [request.invoiceIds, user.organisationId],
          );
          if (invoices.length !== request.invoiceIds.length) throw notFound('Invoice not found');
          const first = invoices[0]!;
          if (invoices.some((i) => i.studio_id !== first.studio_id || i.currency !== first.currency)) {
            throw new DomainError(FinanceErrors.MIXED_PAYOUT);
          }
          if (invoices.some((i) => i.status !== 'open'))
            throw new DomainError(FinanceErrors.INVOICE_NOT_OPEN);
          const [taken] = await em.query<unknown[]>(
            'SELECT 1 FROM payout_invoices WHERE invoice_id = ANY($1::uuid[])',
            [request.invoiceIds],
          );
          if (taken) throw new DomainError(FinanceErrors.INVOICE_IN_PAYOUT);
          const amount = invoices.reduce((s, i) => s + BigInt(i.total), 0n);
          const status =
            amount > BigInt(this.config.payoutDualApprovalThreshold) ? 'pending_approval' : 'approved';
          const [p] = await em.query<{ id: string }[]>(
            `INSERT INTO payouts (broadcaster_id, studio_id, amount, currency, status, created_by, approved_by, approved_at)
           VALUES ($1, $2, $3, $4, $5, $6, NULL, CASE WHEN $5 = 'approved' THEN now() END) RETURNING id`,
            [user.organisationId, first.studio_id, amount.toString(), first.currency, status, user.id],
          );
          await em.query(
            `INSERT INTO payout_invoices (payout_id, invoice_id) SELECT $1, unnest($2::uuid[])`,
            [p!.id, request.invoiceIds],
          );
          const payout = await this.read(em, p!.id);
          await this.record(em, user, 'payout.created', payout);
          await this.notify(em, payout, status === 'approved' ? 'payout.approved' : 'payout.approval_needed');
          return { statusCode: 201, body: payout };
        },
      ),
    );
  }

  async approve(user: AuthUser, id: string, key: string | undefined): Promise<IdempotentResult<PayoutDto>> {
    assertBroadcasterFinance(user);
    return this.ds.transaction((em) =>
      this.idempotency.run(
        em,
        { organisationId: user.organisationId, key, request: { approve: id }, required: false },
        async () => {
          const p = await this.lockOwn(em, user, id);
          if (p.status !== 'pending_approval') {
            throw new DomainError(FinanceErrors.PAYOUT_STATE_CONFLICT, `The payout is ${p.status}`);
          }
          if (p.created_by === user.id) throw new DomainError(FinanceErrors.SECOND_APPROVER_REQUIRED);
          await em.query(
            `UPDATE payouts SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1`,
            [id, user.id],
          );
          const payout = await this.read(em, id);
          await this.record(em, user, 'payout.approved', payout);
          await this.notify(em, payout, 'payout.approved');
          return { statusCode: 200, body: payout };
        },
      ),
    );
  }

  /** Marks an approved payout paid: posts the payment, settles its invoices and milestones. */
  async markPaid(
    user: AuthUser,
    id: string,
    paid: { reference: string; paidAt: string },
    key: string | undefined,
  ): Promise<IdempotentResult<PayoutDto>> {
    assertBroadcasterFinance(user);
    return this.ds.transaction((em) =>
      this.idempotency.run(
        em,
        { organisationId: user.organisationId, key, request: { markPaid: id, ...paid }, required: false },
        async () => {
          const p = await this.lockOwn(em, user, id);
          if (p.status !== 'approved')
            throw new DomainError(FinanceErrors.PAYOUT_STATE_CONFLICT, `The payout is ${p.status}`);
          await em.query(
            `UPDATE payouts SET status = 'paid', reference = $2, paid_on = $3, marked_paid_by = $4 WHERE id = $1`,
            [id, paid.reference, paid.paidAt, user.id],
          );
          const [invoices] = await em.query<[PaidInvoice[], number]>(
            `UPDATE invoices SET status = 'paid', paid_at = now()
            WHERE id IN (SELECT invoice_id FROM payout_invoices WHERE payout_id = $1) AND status = 'open'
            RETURNING id, contract_id, milestone_id, total, currency`,
            [id],
          );
          if (invoices.length !== p.invoice_ids.length) throw new DomainError(FinanceErrors.INVOICE_NOT_OPEN);
          // One payment transaction per contract the payout touches.
          const byContract = new Map<string, PaidInvoice[]>();
          for (const i of invoices)
            byContract.set(i.contract_id, [...(byContract.get(i.contract_id) ?? []), i]);
          for (const [contractId, list] of byContract) {
            const total = list.reduce((s, i) => s + BigInt(i.total), 0n);
            const base = { organisationId: p.broadcaster_id, contractId, currency: p.currency };
            await this.ledger.post(
              em,
              {
                kind: 'payment',
                reference: `${id}:${contractId}`,
                description: `Payout ${paid.reference}`,
                contractId,
              },
              [
                { ...base, kind: 'payable', amount: total },
                { ...base, kind: 'cash', amount: -total },
              ],
            );
          }
          await em.query(
            `UPDATE milestones SET status = 'paid' WHERE id = ANY($1::uuid[]) AND status = 'invoiced'`,
            [invoices.map((i) => i.milestone_id)],
          );
          // A contract is completed when every milestone is paid.
          await em.query(
            `UPDATE contracts c SET status = 'completed', updated_at = now()
            WHERE c.id = ANY($1::uuid[]) AND c.status = 'active'
              AND NOT EXISTS (SELECT 1 FROM milestones m WHERE m.contract_id = c.id AND m.status <> 'paid')`,
            [[...byContract.keys()]],
          );
          const payout = await this.read(em, id);
          await this.record(em, user, 'payout.paid', payout);
          await this.notify(em, payout, 'payout.paid');
          return { statusCode: 200, body: payout };
        },
      ),
    );
  }

  async list(user: AuthUser, q: PageQuery & { status?: string }): Promise<Page<PayoutDto>> {
    assertFinance(user);
    const after = decodeCursor(q.cursor);
    const rows = await this.ds.query<PayoutRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE (p.broadcaster_id = $1 OR p.studio_id = $1) AND ($2::text IS NULL OR p.status = $2)
          AND ($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3::timestamptz, $4::uuid))
        ORDER BY p.created_at DESC, p.id DESC LIMIT $5`,
      [user.organisationId, q.status ?? null, after?.ts ?? null, after?.id ?? null, q.limit + 1],
    );
    return toPage(rows, q.limit, toDto);
  }

  async get(user: AuthUser, id: string): Promise<PayoutDto> {
    assertFinance(user);
    const [row] = await this.ds.query<PayoutRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1 AND (p.broadcaster_id = $2 OR p.studio_id = $2)`,
      [id, user.organisationId],
    );
    if (!row) throw notFound('Payout not found');
    return toDto(row);
  }

  private async lockOwn(em: EntityManager, user: AuthUser, id: string): Promise<PayoutRow> {
    const [row] = await em.query<PayoutRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1 AND p.broadcaster_id = $2 FOR UPDATE OF p`,
      [id, user.organisationId],
    );
    if (!row) throw notFound('Payout not found');
    return row;
  }

  private async read(em: EntityManager, id: string): Promise<PayoutDto> {
    const [row] = await em.query<PayoutRow[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1`, [id]);
    return toDto(row!);
  }

  private record(em: EntityManager, user: AuthUser, action: string, payout: PayoutDto): Promise<void> {
    return this.audit.record(em, {
      actorId: user.id,
      organisationId: user.organisationId,
      action,
      entityType: 'payout',
      entityId: payout.id,
      after: payout,
    });
  }

  private async notify(
    em: EntityManager,
    payout: PayoutDto,
    type: 'payout.approval_needed' | 'payout.approved' | 'payout.paid',
  ): Promise<void> {
    const organisationIds =
      type === 'payout.approval_needed' ? [payout.broadcasterId] : [payout.broadcasterId, payout.studio.id];
    await this.outbox.emit(em, type, {
      recipients: { organisationIds, roles: [...FINANCE_ROLES] },
      data: { payoutId: payout.id, amount: payout.amount.amount, currency: payout.amount.currency },
    });
  }
}
