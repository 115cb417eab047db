import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { cursorTsSql, decodeCursor, toPage, type Page } from '../../shared/http/pagination';
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
import { LedgerService } from './ledger.service';
import { assertFinance } from './payouts.service';

interface InvoiceRow {
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

const toInvoice = (r: InvoiceRow): InvoiceDto => ({
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

// Group keys of the spend report; each reads the invoice `i`, its contract `c` and brief `b`.
const SPEND_GROUPS = {
  studio: { key: 'i.studio_id::text', label: 'so.name' },
  genre: { key: `coalesce(b.genre, '')`, label: `coalesce(b.genre, '(none)')` },
  month: {
    key: `to_char(i.issued_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
    label: `to_char(i.issued_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  },
} as const;

/** Invoices, contract balances and the finance reports (read only). */
@Injectable()
export class FinanceReadsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly contracts: ContractsService,
    private readonly ledger: LedgerService,
  ) {}

  /** Invoices of the caller's organisation, for finance users of either party. */
  async invoices(user: AuthUser, q: InvoiceQuery): Promise<Page<InvoiceDto>> {
    assertFinance(user);
    const after = decodeCursor(q.cursor);
    const rows = await this.ds.query<InvoiceRow[]>(
      `SELECT i.id, i.contract_id, i.milestone_id, i.studio_id, so.name AS studio_name, i.broadcaster_id,
              bo.name AS broadcaster_name, i.amount, i.vat, i.total, i.currency, i.status, i.issued_at, i.paid_at,
              ${cursorTsSql('i.issued_at')} AS cursor_ts
         FROM invoices i JOIN organisations so ON so.id = i.studio_id JOIN organisations bo ON bo.id = i.broadcaster_id
        WHERE (i.broadcaster_id = $1 OR i.studio_id = $1)
          AND ($2::text IS NULL OR i.status = $2) AND ($3::uuid IS NULL OR i.studio_id = $3)
          AND ($4::timestamptz IS NULL OR (i.issued_at, i.id) < ($4::timestamptz, $5::uuid))
        ORDER BY i.issued_at DESC, i.id DESC LIMIT $6`,
      [
        user.organisationId,
        q.status ?? null,
        q.studioId ?? null,
        after?.ts ?? null,
        after?.id ?? null,
        q.limit + 1,
      ],
    );
    return toPage(rows, q.limit, toInvoice);
  }

  /** committed / invoiced / paid / outstanding from the ledger, for the parties. */
  async balance(user: AuthUser, contractId: string): Promise<BalanceDto> {
    const t = await this.contracts.visible(this.ds.manager, user, contractId);
    return this.ledger.contractBalance(this.ds.manager, contractId, t.row.currency);
  }

  /** Invoiced spend of the caller's broadcaster grouped by studio, genre or month. */
  async spend(user: AuthUser, q: SpendQuery): Promise<SpendReportDto> {
    this.assertBroadcasterFinance(user);
    const g = SPEND_GROUPS[q.groupBy];
    const rows = await this.ds.query<
      { key: string; label: string; invoices: number; amount: string; currency: string }[]
    >(
      `SELECT ${g.key} AS key, ${g.label} AS label, count(*)::int AS invoices, sum(i.total)::text AS amount, i.currency
         FROM invoices i JOIN contracts c ON c.id = i.contract_id JOIN briefs b ON b.id = c.brief_id
         JOIN organisations so ON so.id = i.studio_id
        WHERE i.broadcaster_id = $1 AND ($2::date IS NULL OR i.issued_at >= $2::date)
          AND ($3::date IS NULL OR i.issued_at < $3::date)
        GROUP BY 1, 2, i.currency ORDER BY 1, i.currency`,
      [user.organisationId, q.from ?? null, q.to ?? null],
    );
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

  /** Open invoices by age (days since issue, database clock) per studio. */
  async payables(user: AuthUser): Promise<PayablesReportDto> {
    this.assertBroadcasterFinance(user);
    const rows = await this.ds.query<
      {
        studio_id: string;
        studio_name: string;
        currency: string;
        b0: string;
        b31: string;
        b61: string;
        b91: string;
        total: string;
      }[]
    >(
      `WITH aged AS (
         SELECT i.studio_id, i.currency, i.total, (now()::date - i.issued_at::date) AS age
           FROM invoices i WHERE i.broadcaster_id = $1 AND i.status = 'open')
       SELECT a.studio_id, so.name AS studio_name, a.currency,
              coalesce(sum(total) FILTER (WHERE age <= 30), 0)::text AS b0,
              coalesce(sum(total) FILTER (WHERE age BETWEEN 31 AND 60), 0)::text AS b31,
              coalesce(sum(total) FILTER (WHERE age BETWEEN 61 AND 90), 0)::text AS b61,
              coalesce(sum(total) FILTER (WHERE age > 90), 0)::text AS b91,
              sum(total)::text AS total
         FROM aged a JOIN organisations so ON so.id = a.studio_id
        GROUP BY a.studio_id, so.name, a.currency ORDER BY so.name, a.currency`,
      [user.organisationId],
    );
    const [now] = await this.ds.query<{ now: Date }[]>('SELECT now()');
    return {
      asOf: now!.now.toISOString(),
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

  private assertBroadcasterFinance(user: AuthUser): void {
    assertFinance(user);
    if (user.organisationKind !== 'broadcaster') {
      throw new DomainError(CommonErrors.FORBIDDEN, 'Finance reports are for broadcasters');
    }
  }
}
