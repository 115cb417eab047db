import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { requireAccess, type RequireOptions, type ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { DomainError } from '../../shared/errors/domain-error';
import { decodeCursor, toPage, type Page, type PageQuery } from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ContractsService } from '../contracts/contracts.service';
import type { PayoutDto } from './dto/finance.dto';
import { FinanceErrors } from './finance.errors';
import { IdempotencyService, type IdempotentResult } from './idempotency.service';
import { InvoicingService } from './invoicing.service';
import { LedgerService } from './ledger.service';
import { payoutAccess, type PayoutAction } from './payout.access';
import type { PaidInvoiceRow } from './repositories/invoices.repository';
import { InvoicesRepository } from './repositories/invoices.repository';
import { PayoutsRepository, toPayoutDto, type PayoutRow } from './repositories/payouts.repository';

/**
 * Payouts: created for open invoices of one studio (idempotent), approved by a second finance
 * user above PAYOUT_DUAL_APPROVAL_THRESHOLD, marked paid with the bank reference. Who may call
 * each use case is the route's policy (Policy.Finance, Policy.FinanceForBroadcaster); which
 * payout is payoutAccess's. Invoice rows are locked while a payout takes them, and
 * payout_invoices_invoice_key lets an invoice into at most one payout: nothing is paid twice.
 */
@Injectable()
export class PayoutsService {
  private readonly access: ResourceAccess<PayoutRow, PayoutAction>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly payouts: PayoutsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly invoicing: InvoicingService,
    private readonly contracts: ContractsService,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.access = payoutAccess(payouts);
  }

  /** A payout the caller may see and take `action` on; 404 or 403 otherwise. */
  requirePayout(
    em: EntityManager,
    user: AuthUser,
    id: string,
    action: PayoutAction,
    options: RequireOptions = {},
  ): Promise<PayoutRow> {
    return requireAccess(this.access, em, user, id, action, options);
  }

  async create(
    user: AuthUser,
    invoiceIds: string[],
    key: string | undefined,
  ): Promise<IdempotentResult<PayoutDto>> {
    const request = { invoiceIds: [...invoiceIds].sort() };
    return this.ds.transaction((em) =>
      this.idempotency.run(
        em,
        { organisationId: user.organisationId, key, request, required: true },
        async () => {
          const invoices = await this.invoicing.requireInvoices(em, user, request.invoiceIds, 'pay');
          const first = invoices[0]!;
          if (invoices.some((i) => i.studio_id !== first.studio_id || i.currency !== first.currency)) {
            throw new DomainError(FinanceErrors.MIXED_PAYOUT);
          }
          if (invoices.some((i) => i.status !== 'open'))
            throw new DomainError(FinanceErrors.INVOICE_NOT_OPEN);
          if (await this.payouts.anyInPayout(em, request.invoiceIds))
            throw new DomainError(FinanceErrors.INVOICE_IN_PAYOUT);
          const amount = invoices.reduce((s, i) => s + BigInt(i.total), 0n);
          const status =
            amount > BigInt(this.config.payoutDualApprovalThreshold) ? 'pending_approval' : 'approved';
          const id = await this.payouts.insert(em, {
            broadcasterId: user.organisationId,
            studioId: first.studio_id,
            amount,
            currency: first.currency,
            status,
            createdBy: user.id,
            invoiceIds: request.invoiceIds,
          });
          const payout = await this.payouts.get(em, id);
          await this.record(em, user, 'payout.created', payout);
          await this.notify(em, payout, status === 'approved' ? 'payout.approved' : 'payout.approval_needed');
          return { statusCode: 201, body: payout };
        },
      ),
    );
  }

  async approve(user: AuthUser, id: string, key: string | undefined): Promise<IdempotentResult<PayoutDto>> {
    return this.ds.transaction((em) =>
      this.idempotency.run(
        em,
        { organisationId: user.organisationId, key, request: { approve: id }, required: false },
        async () => {
          const p = await this.requirePayout(em, user, id, 'approve', { lock: true });
          if (p.status !== 'pending_approval') {
            throw new DomainError(FinanceErrors.PAYOUT_STATE_CONFLICT, `The payout is ${p.status}`);
          }
          if (p.created_by === user.id) throw new DomainError(FinanceErrors.SECOND_APPROVER_REQUIRED);
          await this.payouts.transition(em, id, 'approved', { approvedBy: user.id });
          const payout = await this.payouts.get(em, id);
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
    return this.ds.transaction((em) =>
      this.idempotency.run(
        em,
        { organisationId: user.organisationId, key, request: { markPaid: id, ...paid }, required: false },
        async () => {
          const p = await this.requirePayout(em, user, id, 'markPaid', { lock: true });
          if (p.status !== 'approved')
            throw new DomainError(FinanceErrors.PAYOUT_STATE_CONFLICT, `The payout is ${p.status}`);
          await this.payouts.transition(em, id, 'paid', {
            reference: paid.reference,
            // A date is stored as that date; a full time also as its instant (shown as ISO UTC).
            paidOn: paid.paidAt.slice(0, 10),
            paidAt: paid.paidAt.length > 10 ? paid.paidAt : null,
            markedPaidBy: user.id,
          });
          const invoices = await this.invoices.markPaidForPayout(em, id);
          if (invoices.length !== p.invoice_ids.length) throw new DomainError(FinanceErrors.INVOICE_NOT_OPEN);
          // One payment transaction per contract the payout touches.
          const byContract = new Map<string, PaidInvoiceRow[]>();
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
          await this.contracts.markMilestonesPaid(
            em,
            invoices.map((i) => i.milestone_id),
          );
          const payout = await this.payouts.get(em, id);
          await this.record(em, user, 'payout.paid', payout);
          await this.notify(em, payout, 'payout.paid');
          // After the payment's event, so consumers (open data) see the payment, then the completion.
          await this.contracts.completeIfAllPaid(em, [...byContract.keys()]);
          return { statusCode: 200, body: payout };
        },
      ),
    );
  }

  async list(user: AuthUser, q: PageQuery & { status?: string }): Promise<Page<PayoutDto>> {
    const rows = await this.payouts.page(this.ds.manager, user.organisationId, {
      status: q.status,
      after: decodeCursor(q.cursor),
      limit: q.limit,
    });
    return toPage(rows, q.limit, toPayoutDto);
  }

  async get(user: AuthUser, id: string): Promise<PayoutDto> {
    return toPayoutDto(await this.requirePayout(this.ds.manager, user, id, 'read'));
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
      recipients: { organisationIds, roles: [...Policy.Finance.roles] },
      data: { payoutId: payout.id, amount: payout.amount.amount, currency: payout.amount.currency },
    });
  }
}
