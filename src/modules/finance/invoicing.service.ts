import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertAllowed, requireAccess, type ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { notFound } from '../../shared/errors/common.errors';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { AuditService } from '../audit/audit.service';
import { ContractsService } from '../contracts/contracts.service';
import { invoiceAccess, type InvoiceAction } from './invoice.access';
import { LedgerService } from './ledger.service';
import { InvoicesRepository, type PayableInvoiceRow } from './repositories/invoices.repository';

/**
 * Turns contract and milestone events into money: a signed contract posts its commitment; an
 * accepted milestone issues its invoice (one per milestone, VAT at the broadcaster's rate) and
 * posts it. Both run as outbox handlers, in the transaction that marks the event handled.
 */
@Injectable()
export class InvoicingService {
  private readonly access: ResourceAccess<PayableInvoiceRow, InvoiceAction>;

  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly contracts: ContractsService,
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.access = invoiceAccess(invoices);
  }

  /** An invoice the caller may see and take `action` on; 404 or 403 otherwise. */
  requireInvoice(
    em: EntityManager,
    user: AuthUser,
    id: string,
    action: InvoiceAction,
    options: { lock?: boolean } = {},
  ): Promise<PayableInvoiceRow> {
    return requireAccess(this.access, em, user, id, action, options);
  }

  /**
   * The invoices `ids` the caller's organisation owes, locked in id order (the lock order of
   * payouts); "Invoice not found" when one is not among them, 403 when the caller may not `action`.
   */
  async requireInvoices(
    em: EntityManager,
    user: AuthUser,
    ids: string[],
    action: InvoiceAction,
  ): Promise<PayableInvoiceRow[]> {
    const rows = await this.invoices.lockPayable(em, user.organisationId, ids);
    if (rows.length !== ids.length) throw notFound(`${this.access.noun} not found`);
    for (const row of rows) assertAllowed(this.access, user, row, action);
    return rows;
  }

  /** An invoice still open INVOICE_REMINDER_DAYS after issue: the payer's finance users hear of it. */
  async remind(em: EntityManager, invoiceId: string): Promise<void> {
    const i = await this.invoices.findForReminder(em, invoiceId);
    if (!i || i.status !== 'open') return;
    await this.outbox.emit(em, 'invoice.overdue', {
      recipients: { organisationIds: [i.broadcaster_id], roles: [...Policy.Finance.roles] },
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
    const c = await this.contracts.commitmentOf(em, contractId);
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
    const m = await this.contracts.milestoneForInvoice(em, milestoneId);
    if (!m || m.status !== 'accepted') return;
    const amount = BigInt(m.amount);
    const vat = BigInt(m.vat);
    const invoiceId = await this.invoices.insertOnce(em, {
      contractId: m.contract_id,
      milestoneId,
      broadcasterId: m.broadcaster_id,
      studioId: m.studio_id,
      amount,
      vat,
      currency: m.currency,
    });
    if (invoiceId === undefined) return;
    await this.contracts.markMilestoneInvoiced(em, milestoneId);
    const base = { organisationId: m.broadcaster_id, contractId: m.contract_id, currency: m.currency };
    await this.ledger.post(
      em,
      {
        kind: 'invoice',
        reference: invoiceId,
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
      entityId: invoiceId,
      after: { milestoneId, amount: amount.toString(), vat: vat.toString(), currency: m.currency },
    });
    const due = await this.invoices.nowPlusDays(em, this.config.invoiceReminderDays);
    await this.outbox.emit(em, 'invoice.reminder', { invoiceId }, { availableAt: due.toISOString() });
    await this.outbox.emit(em, 'invoice.issued', {
      recipients: { organisationIds: [m.broadcaster_id, m.studio_id], roles: [...Policy.Finance.roles] },
      data: {
        invoiceId,
        milestoneId,
        contractId: m.contract_id,
        total: Number(amount + vat),
        currency: m.currency,
      },
    });
  }
}
