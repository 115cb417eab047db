import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { sendCsv, wantsCsv } from '../../shared/http/csv';
import { decodeCursor, toPage, type Page } from '../../shared/http/pagination';
import { money } from '../../shared/money';
import { ContractsService } from '../contracts/contracts.service';
import type {
  BalanceDto,
  InvoiceDto,
  InvoiceQuery,
  PayablesReportDto,
  SpendQuery,
  SpendReportDto,
} from './dto/finance.dto';
import { FinanceReportsReadModel } from './finance-reports.read-model';
import { LedgerService } from './ledger.service';
import { InvoicesRepository, toInvoiceDto } from './repositories/invoices.repository';

/**
 * Invoices, contract balances and the finance reports (read only), as JSON or, where the client
 * asks with `Accept: text/csv`, CSV. Who may read is the route's policy.
 */
@Injectable()
export class FinanceReadsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly contracts: ContractsService,
    private readonly ledger: LedgerService,
    private readonly invoicesRepo: InvoicesRepository,
    private readonly reports: FinanceReportsReadModel,
  ) {}

  /** Invoices of the caller's organisation, for finance users of either party. */
  async invoices(user: AuthUser, q: InvoiceQuery): Promise<Page<InvoiceDto>> {
    const rows = await this.invoicesRepo.page(this.ds.manager, user.organisationId, {
      status: q.status,
      studioId: q.studioId,
      after: decodeCursor(q.cursor),
      limit: q.limit,
    });
    return toPage(rows, q.limit, toInvoiceDto);
  }

  /** committed / invoiced / paid / outstanding from the ledger, for the parties. */
  async balance(user: AuthUser, contractId: string): Promise<BalanceDto> {
    const t = await this.contracts.visible(this.ds.manager, user, contractId);
    return this.ledger.contractBalance(this.ds.manager, contractId, t.row.currency);
  }

  /** Invoiced spend of the caller's broadcaster grouped by studio, genre or month. */
  async spend(user: AuthUser, q: SpendQuery): Promise<SpendReportDto> {
    const rows = await this.reports.spend(this.ds.manager, user.organisationId, q);
    return {
      groupBy: q.groupBy,
      items: rows.map((r) => ({
        key: r.key,
        label: r.label,
        invoices: r.invoices,
        amount: money(r.amount, r.currency),
      })),
    };
  }

  /** The spend report as JSON, or as CSV when the client asked for it. */
  async sendSpend(
    user: AuthUser,
    q: SpendQuery,
    accept: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    const report = await this.spend(user, q);
    if (!wantsCsv(accept)) return void (await reply.send(report));
    await sendCsv(
      reply,
      `spend-by-${q.groupBy}`,
      [q.groupBy, 'label', 'invoices', 'amount', 'currency'],
      report.items.map((r) => [r.key, r.label, r.invoices, r.amount.amount, r.amount.currency]),
    );
  }

  /** Open invoices by age (days since issue, database clock) per studio. */
  async payables(user: AuthUser): Promise<PayablesReportDto> {
    const rows = await this.reports.payables(this.ds.manager, user.organisationId);
    const asOf = await this.reports.now(this.ds.manager);
    return {
      asOf: asOf.toISOString(),
      items: rows.map((r) => ({
        studio: { id: r.studio_id, name: r.studio_name },
        currency: r.currency,
        days0to30: Number(r.b0),
        days31to60: Number(r.b31),
        days61to90: Number(r.b61),
        days90plus: Number(r.b91),
        total: Number(r.total),
      })),
    };
  }

  /** The payables ageing as JSON, or as CSV when the client asked for it. */
  async sendPayables(user: AuthUser, accept: string | undefined, reply: FastifyReply): Promise<void> {
    const report = await this.payables(user);
    if (!wantsCsv(accept)) return void (await reply.send(report));
    await sendCsv(
      reply,
      'payables-ageing',
      ['studio_id', 'studio', 'currency', '0-30', '31-60', '61-90', '90+', 'total'],
      report.items.map((r) => [
        r.studio.id,
        r.studio.name,
        r.currency,
        r.days0to30,
        r.days31to60,
        r.days61to90,
        r.days90plus,
        r.total,
      ]),
    );
  }
}
