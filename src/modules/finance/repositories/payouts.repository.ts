import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transitionOrThrow } from '../../../shared/database/transition';
import { cursorTsSql, type Keyset } from '../../../shared/http/pagination';
import { money } from '../../../shared/money';
import { joinOrganisation } from '../../organisations/organisation-sql';
import type { PayoutDto } from '../dto/finance.dto';
import { payoutLifecycle, type PayoutStatus } from '../payout-status';

export interface PayoutRow {
  id: string;
  broadcaster_id: string;
  studio_id: string;
  studio_name: string;
  amount: string;
  currency: string;
  status: PayoutStatus;
  created_by: string;
  approved_by: string | null;
  reference: string | null;
  paid_on: string | null;
  paid_at: Date | null;
  created_at: Date;
  invoice_ids: string[];
  cursor_ts: string;
}

const COLUMNS = `p.id, p.broadcaster_id, p.studio_id, so.name AS studio_name, p.amount, p.currency, p.status,
  p.created_by, p.approved_by, p.reference, p.paid_on::text AS paid_on, p.paid_at, p.created_at,
  (SELECT array_agg(pi.invoice_id ORDER BY pi.invoice_id) FROM payout_invoices pi WHERE pi.payout_id = p.id) AS invoice_ids,
  ${cursorTsSql('p.created_at')} AS cursor_ts`;
const FROM = `payouts p ${joinOrganisation('so', 'p.studio_id')}`;

export const toPayoutDto = (r: PayoutRow): PayoutDto => ({
  id: r.id,
  broadcasterId: r.broadcaster_id,
  studio: { id: r.studio_id, name: r.studio_name },
  invoiceIds: r.invoice_ids ?? [],
  amount: money(r.amount, r.currency),
  status: r.status,
  createdBy: r.created_by,
  approvedBy: r.approved_by,
  reference: r.reference,
  // As given: a full time as ISO 8601 UTC, a bare date as that date.
  paidAt: r.paid_at?.toISOString() ?? r.paid_on,
  createdAt: r.created_at.toISOString(),
});

/** How a payout was paid: `paidOn` the day as written, `paidAt` the instant when a time was given. */
export interface PaidBy {
  reference: string;
  paidOn: string;
  paidAt: string | null;
  markedPaidBy: string;
}

/** The SQL of payouts and payout_invoices (status moves through payoutLifecycle only). */
@Injectable()
export class PayoutsRepository {
  /** A page (limit + 1 rows) of the payouts of an organisation, either party, newest first. */
  page(
    em: EntityManager,
    organisationId: string,
    q: { status?: string; after: Keyset | null; limit: number },
  ): Promise<PayoutRow[]> {
    return em.query<PayoutRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE (p.broadcaster_id = $1 OR p.studio_id = $1) AND ($2::text IS NULL OR p.status = $2)
          AND ($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3::timestamptz, $4::uuid))
        ORDER BY p.created_at DESC, p.id DESC LIMIT $5`,
      [organisationId, q.status ?? null, q.after?.ts ?? null, q.after?.id ?? null, q.limit + 1],
    );
  }

  /** A payout of which `organisationId` is a party (payer or payee); `lock` takes it FOR UPDATE. */
  async findVisible(
    em: EntityManager,
    organisationId: string,
    id: string,
    lock: boolean,
  ): Promise<PayoutRow | undefined> {
    const [row] = await em.query<PayoutRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1 AND (p.broadcaster_id = $2 OR p.studio_id = $2)${lock ? ' FOR UPDATE OF p' : ''}`,
      [id, organisationId],
    );
    return row;
  }

  async get(em: EntityManager, id: string): Promise<PayoutDto> {
    const [row] = await em.query<PayoutRow[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1`, [id]);
    return toPayoutDto(row!);
  }

  /** Whether any of the invoices is in a payout already. */
  async anyInPayout(em: EntityManager, invoiceIds: string[]): Promise<boolean> {
    const [taken] = await em.query<unknown[]>(
      'SELECT 1 FROM payout_invoices WHERE invoice_id = ANY($1::uuid[])',
      [invoiceIds],
    );
    return taken !== undefined;
  }

  /** A new payout in its first status (approved now when it needs no second approver). */
  async insert(
    em: EntityManager,
    p: {
      broadcasterId: string;
      studioId: string;
      amount: bigint;
      currency: string;
      status: PayoutStatus;
      createdBy: string;
      invoiceIds: string[];
    },
  ): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO payouts (broadcaster_id, studio_id, amount, currency, status, created_by, approved_by, approved_at)
           VALUES ($1, $2, $3, $4, $5, $6, NULL, CASE WHEN $5 = 'approved' THEN now() END) RETURNING id`,
      [p.broadcasterId, p.studioId, p.amount.toString(), p.currency, p.status, p.createdBy],
    );
    // payout_invoices_invoice_key: an invoice is in one payout at most.
    await em.query(`INSERT INTO payout_invoices (payout_id, invoice_id) SELECT $1, unnest($2::uuid[])`, [
      row!.id,
      p.invoiceIds,
    ]);
    return row!.id;
  }

  /** The one way a payout's status changes (PAYOUT_STATE_CONFLICT when the move is not allowed). */
  async transition(em: EntityManager, id: string, to: 'approved', by: { approvedBy: string }): Promise<void>;
  async transition(em: EntityManager, id: string, to: 'paid', by: PaidBy): Promise<void>;
  async transition(
    em: EntityManager,
    id: string,
    to: 'approved' | 'paid',
    by: { approvedBy: string } | PaidBy,
  ): Promise<void> {
    if ('approvedBy' in by) {
      await transitionOrThrow(em, 'payouts', payoutLifecycle, id, to, {
        set: 'approved_by = $4, approved_at = now()',
        params: [by.approvedBy],
      });
    } else {
      await transitionOrThrow(em, 'payouts', payoutLifecycle, id, to, {
        set: 'reference = $4, paid_on = $5, paid_at = $6, marked_paid_by = $7',
        params: [by.reference, by.paidOn, by.paidAt, by.markedPaidBy],
      });
    }
  }
}
