import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cursorTsSql, type Keyset } from '../../../shared/http/pagination';
import { money } from '../../../shared/money';
import { joinOrganisation } from '../../organisations/organisation-sql';
import type { InvoiceDto } from '../dto/finance.dto';
import { invoiceLifecycle } from '../invoice-status';

export interface InvoiceRow {
  id: string;
  contract_id: string;
  milestone_id: string;
  studio_id: string;
  studio_name: string;
  broadcaster_id: string;
  broadcaster_name: string;
  amount: string;
  vat: string;
  total: string;
  currency: string;
  status: string;
  issued_at: Date;
  paid_at: Date | null;
  cursor_ts: string;
}

/** An invoice as a payout takes it (locked). */
export interface PayableInvoiceRow {
  id: string;
  studio_id: string;
  status: string;
  total: string;
  currency: string;
}

/** An invoice a payout has just paid. */
export interface PaidInvoiceRow {
  id: string;
  contract_id: string;
  milestone_id: string;
  total: string;
  currency: string;
}

export const toInvoiceDto = (r: InvoiceRow): InvoiceDto => ({
  id: r.id,
  contractId: r.contract_id,
  milestoneId: r.milestone_id,
  studio: { id: r.studio_id, name: r.studio_name },
  broadcaster: { id: r.broadcaster_id, name: r.broadcaster_name },
  amount: money(r.amount, r.currency),
  vat: money(r.vat, r.currency),
  total: money(r.total, r.currency),
  status: r.status,
  issuedAt: r.issued_at.toISOString(),
  paidAt: r.paid_at?.toISOString() ?? null,
});

const COLUMNS = `i.id, i.contract_id, i.milestone_id, i.studio_id, so.name AS studio_name, i.broadcaster_id,
              bo.name AS broadcaster_name, i.amount, i.vat, i.total, i.currency, i.status, i.issued_at, i.paid_at,
              ${cursorTsSql('i.issued_at')} AS cursor_ts`;
const FROM = `invoices i ${joinOrganisation('so', 'i.studio_id')} ${joinOrganisation('bo', 'i.broadcaster_id')}`;

/** The SQL of invoices (status moves through invoiceLifecycle only). */
@Injectable()
export class InvoicesRepository {
  /** A page (limit + 1 rows) of the invoices of an organisation, either party, newest first. */
  page(
    em: EntityManager,
    organisationId: string,
    q: { status?: string; studioId?: string; after: Keyset | null; limit: number },
  ): Promise<InvoiceRow[]> {
    return em.query<InvoiceRow[]>(
      `SELECT ${COLUMNS}
         FROM ${FROM}
        WHERE (i.broadcaster_id = $1 OR i.studio_id = $1)
          AND ($2::text IS NULL OR i.status = $2) AND ($3::uuid IS NULL OR i.studio_id = $3)
          AND ($4::timestamptz IS NULL OR (i.issued_at, i.id) < ($4::timestamptz, $5::uuid))
        ORDER BY i.issued_at DESC, i.id DESC LIMIT $6`,
      [
        organisationId,
        q.status ?? null,
        q.studioId ?? null,
        q.after?.ts ?? null,
        q.after?.id ?? null,
        q.limit + 1,
      ],
    );
  }

  /** The broadcaster's invoices among `ids`, locked in id order (the lock order of payouts). */
  lockPayable(em: EntityManager, broadcasterId: string, ids: string[]): Promise<PayableInvoiceRow[]> {
    return em.query<PayableInvoiceRow[]>(
      `SELECT id, studio_id, status, total, currency FROM invoices
            WHERE id = ANY($1::uuid[]) AND broadcaster_id = $2 ORDER BY id FOR UPDATE`,
      [ids, broadcasterId],
    );
  }

  /** An invoice of which `organisationId` is a party; `lock` takes it FOR UPDATE. */
  async findVisible(
    em: EntityManager,
    organisationId: string,
    id: string,
    lock: boolean,
  ): Promise<PayableInvoiceRow | undefined> {
    const [row] = await em.query<PayableInvoiceRow[]>(
      `SELECT id, studio_id, status, total, currency FROM invoices
        WHERE id = $1 AND (broadcaster_id = $2 OR studio_id = $2)${lock ? ' FOR UPDATE' : ''}`,
      [id, organisationId],
    );
    return row;
  }

  /** For the reminder: the payer, amount and status of one invoice. */
  async findForReminder(
    em: EntityManager,
    id: string,
  ): Promise<
    | { broadcaster_id: string; contract_id: string; total: string; currency: string; status: string }
    | undefined
  > {
    const [i] = await em.query<
      { broadcaster_id: string; contract_id: string; total: string; currency: string; status: string }[]
    >('SELECT broadcaster_id, contract_id, total, currency, status FROM invoices WHERE id = $1', [id]);
    return i;
  }

  /** The milestone's invoice; undefined when it has one already (invoices_milestone_key). */
  async insertOnce(
    em: EntityManager,
    i: {
      contractId: string;
      milestoneId: string;
      broadcasterId: string;
      studioId: string;
      amount: bigint;
      vat: bigint;
      currency: string;
    },
  ): Promise<string | undefined> {
    const [inv] = await em.query<{ id: string }[]>(
      `INSERT INTO invoices (contract_id, milestone_id, broadcaster_id, studio_id, amount, vat, total, currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (milestone_id) DO NOTHING RETURNING id`,
      [
        i.contractId,
        i.milestoneId,
        i.broadcasterId,
        i.studioId,
        i.amount.toString(),
        i.vat.toString(),
        (i.amount + i.vat).toString(),
        i.currency,
      ],
    );
    return inv?.id;
  }

  /** `days` after the database's now, for a reminder's availableAt. */
  async nowPlusDays(em: EntityManager, days: number): Promise<Date> {
    const [due] = await em.query<{ at: string }[]>(`SELECT now() + make_interval(days => $1::int) AS at`, [
      days,
    ]);
    return new Date(due!.at);
  }

  /**
   * Moves the open invoices of a payout to `paid`, set-based (one statement for the whole
   * payout); the status guard is invoiceLifecycle's, so only the statuses that may become paid
   * move. Answers the invoices that moved.
   */
  async markPaidForPayout(em: EntityManager, payoutId: string): Promise<PaidInvoiceRow[]> {
    const [invoices] = await em.query<[PaidInvoiceRow[], number]>(
      `UPDATE invoices SET status = 'paid', paid_at = now()
            WHERE id IN (SELECT invoice_id FROM payout_invoices WHERE payout_id = $1) AND status = ANY($2::text[])
            RETURNING id, contract_id, milestone_id, total, currency`,
      [payoutId, invoiceLifecycle.from('paid')],
    );
    return invoices;
  }
}
