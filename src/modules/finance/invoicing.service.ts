import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from './ledger.service';

export const FINANCE_ROLES = ['finance', 'admin'] as const;

/**
 * Turns contract and milestone events into money: a signed contract posts its commitment; an
 * accepted milestone issues its invoice (one per milestone, VAT at the broadcaster's rate) and
 * posts it. Both run as outbox handlers, in the transaction that marks the event handled.
 */
@Injectable()
export class InvoicingService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** An invoice still open INVOICE_REMINDER_DAYS after issue: the payer's finance users hear of it. */
  async remind(em: EntityManager, invoiceId: string): Promise<void> {
    const [i] = await em.query<
      { broadcaster_id: string; contract_id: string; total: string; currency: string; status: string }[]
    >('SELECT broadcaster_id, contract_id, total, currency, status FROM invoices WHERE id = $1', [invoiceId]);
    if (!i || i.status !== 'open') return;
    await this.outbox.emit(em, 'invoice.overdue', {
      recipients: { organisationIds: [i.broadcaster_id], roles: [...FINANCE_ROLES] },
      data: {
        invoiceId,
        contractId: i.contract_id,
        total: Number(i.total),
        currency: i.currency,
        days: this.config.invoiceReminderDays,
      },
    });
  }

  async commit(em: EntityManager, contractId: string): Promise<void> {
    const [c] = await em.query<{ broadcaster_id: string; value_amount: string; currency: string }[]>(
      'SELECT broadcaster_id, value_amount, currency FROM contracts WHERE id = $1',
      [contractId],
    );
    if (!c || BigInt(c.value_amount) === 0n) return;
    const base = { organisationId: c.broadcaster_id, contractId, currency: c.currency };
    await this.ledger.post(
      em,
      { kind: 'commitment', reference: contractId, description: 'Contract signed', contractId },
      [
        { ...base, kind: 'commitment', amount: BigInt(c.value_amount) },
        { ...base, kind: 'commitment_offset', amount: -BigInt(c.value_amount) },
      ],
    );
  }

  /** Issues the milestone's invoice (once: invoices_milestone_key) and moves it to `invoiced`. */
  async invoice(em: EntityManager, milestoneId: string): Promise<void> {
    const [m] = await em.query<
      {
        contract_id: string;
        status: string;
        amount: string;
        currency: string;
        broadcaster_id: string;
        studio_id: string;
        vat: string;
        title: string;
      }[]
    >(
      `SELECT m.contract_id, m.status, m.amount, c.currency, c.broadcaster_id, c.studio_id, m.title,
              round(m.amount * coalesce(o.vat_rate, 0) / 100)::bigint::text AS vat
         FROM milestones m JOIN contracts c ON c.id = m.contract_id JOIN organisations o ON o.id = c.broadcaster_id
        WHERE m.id = $1 FOR UPDATE OF m`,
      [milestoneId],
    );
    if (!m || m.status !== 'accepted') return;
    const amount = BigInt(m.amount);
    const vat = BigInt(m.vat);
    const [inv] = await em.query<{ id: string }[]>(
      `INSERT INTO invoices (contract_id, milestone_id, broadcaster_id, studio_id, amount, vat, total, currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (milestone_id) DO NOTHING RETURNING id`,
      [
        m.contract_id,
        milestoneId,
        m.broadcaster_id,
        m.studio_id,
        amount.toString(),
        vat.toString(),
        (amount + vat).toString(),
        m.currency,
      ],
    );
    if (!inv) return;
    await em.query(`UPDATE milestones SET status = 'invoiced' WHERE id = $1`, [milestoneId]);
    const base = { organisationId: m.broadcaster_id, contractId: m.contract_id, currency: m.currency };
    await this.ledger.post(
      em,
      {
        kind: 'invoice',
        reference: inv.id,
        description: `Invoice for ${m.title}`,
        contractId: m.contract_id,
      },
      [
        ...(amount > 0n ? [{ ...base, kind: 'expense' as const, amount }] : []),
        ...(vat > 0n ? [{ ...base, kind: 'vat_input' as const, amount: vat }] : []),
        ...(amount + vat > 0n ? [{ ...base, kind: 'payable' as const, amount: -(amount + vat) }] : []),
      ],
    );
    await this.audit.record(em, {
      actorId: null,
      organisationId: m.broadcaster_id,
      action: 'invoice.issued',
      entityType: 'invoice',
      entityId: inv.id,
      after: { milestoneId, amount: amount.toString(), vat: vat.toString(), currency: m.currency },
    });
    const [due] = await em.query<{ at: string }[]>(`SELECT now() + make_interval(days => $1::int) AS at`, [
      this.config.invoiceReminderDays,
    ]);
    await this.outbox.emit(
      em,
      'invoice.reminder',
      { invoiceId: inv.id },
      { availableAt: new Date(due!.at).toISOString() },
    );
    await this.outbox.emit(em, 'invoice.issued', {
      recipients: { organisationIds: [m.broadcaster_id, m.studio_id], roles: [...FINANCE_ROLES] },
      data: {
        invoiceId: inv.id,
        milestoneId,
        contractId: m.contract_id,
        total: Number(amount + vat),
        currency: m.currency,
      },
    });
  }
}
