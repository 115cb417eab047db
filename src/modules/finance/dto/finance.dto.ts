import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../../../shared/http/pagination';
import { trim } from '../../../shared/http/transforms';
import { MoneyDto } from '../../../shared/money';
import { IsSingleLineText } from '../../../shared/http/text';

export class CreatePayoutDto {
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  invoiceIds: string[];
}

/** A date, or a date and time (seconds and milliseconds optional) with Z or an offset. */
const PAID_AT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class MarkPaidDto {
  /** The bank transfer reference. */
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(140)
  reference: string;

  /**
   * When the bank paid: a date (`2026-11-28`) or an ISO 8601 time with `Z` or an offset
   * (`2026-11-28T10:00:00Z`, `2026-11-28T15:00:00+05:00`); answered as given, a time in UTC.
   */
  @Matches(PAID_AT, {
    message: 'paidAt must be a date such as 2026-11-28 or a time such as 2026-11-28T10:00:00Z',
  })
  @IsISO8601({ strict: true }, { message: 'paidAt must be a real date or time' })
  paidAt: string;
}

export class InvoiceQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'paid'] })
  @IsOptional()
  @IsIn(['open', 'paid'])
  status?: 'open' | 'paid';

  @IsOptional()
  @IsUUID()
  studioId?: string;
}

export class PayoutQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending_approval', 'approved', 'paid'] })
  @IsOptional()
  @IsIn(['pending_approval', 'approved', 'paid'])
  status?: string;
}

export class SpendQuery {
  @ApiProperty({ enum: ['studio', 'genre', 'month'] })
  @IsIn(['studio', 'genre', 'month'])
  groupBy: 'studio' | 'genre' | 'month';

  /** Invoices issued on or after this date (YYYY-MM-DD). */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from?: string;

  /** Invoices issued before this date (YYYY-MM-DD). */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to?: string;
}

export class PartyRef {
  id: string;
  name: string;
}

export class InvoiceDto {
  id: string;
  contractId: string;
  milestoneId: string;
  studio: PartyRef;
  broadcaster: PartyRef;
  amount: MoneyDto;
  vat: MoneyDto;
  total: MoneyDto;
  @ApiProperty({ enum: ['open', 'paid'] })
  status: string;
  issuedAt: string;
  paidAt: string | null;
}

export class InvoicePageDto {
  items: InvoiceDto[];
  nextCursor: string | null;
}

export class PayoutDto {
  id: string;
  broadcasterId: string;
  studio: PartyRef;
  invoiceIds: string[];
  amount: MoneyDto;
  @ApiProperty({ enum: ['pending_approval', 'approved', 'paid'] })
  status: string;
  createdBy: string;
  approvedBy: string | null;
  reference: string | null;
  /** When the bank paid: the date given, or the time given as ISO 8601 UTC. */
  paidAt: string | null;
  createdAt: string;
}

export class PayoutPageDto {
  items: PayoutDto[];
  nextCursor: string | null;
}

export class BalanceDto {
  committed: MoneyDto;
  invoiced: MoneyDto;
  paid: MoneyDto;
  outstanding: MoneyDto;
}

export class SpendRowDto {
  /** Studio id, genre, or month (YYYY-MM). */
  key: string;
  label: string;
  invoices: number;
  amount: MoneyDto;
}

export class SpendReportDto {
  groupBy: string;
  items: SpendRowDto[];
}

export class PayablesRowDto {
  studio: PartyRef;
  currency: string;
  /** Open invoice totals by age in days since issue: 0-30, 31-60, 61-90, 90+. */
  days0to30: number;
  days31to60: number;
  days61to90: number;
  days90plus: number;
  total: number;
}

export class PayablesReportDto {
  asOf: string;
  items: PayablesRowDto[];
}
