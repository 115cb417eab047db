import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { sendCsv, wantsCsv } from '../../shared/http/csv';
import {
  BalanceDto,
  CreatePayoutDto,
  InvoicePageDto,
  InvoiceQuery,
  MarkPaidDto,
  PayablesReportDto,
  PayoutDto,
  PayoutPageDto,
  PayoutQuery,
  SpendQuery,
  SpendReportDto,
} from './dto/finance.dto';
import { FinanceReadsService } from './finance-reads.service';
import type { IdempotentResult } from './idempotency.service';
import { PayoutsService } from './payouts.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  description: 'Same key + same body → the first response; same key + other body → 422. Kept at least 24 h.',
};

async function replay<T>(reply: FastifyReply, result: IdempotentResult<T>): Promise<void> {
  void reply.header('Cache-Control', 'no-store');
  if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
  await reply.status(result.statusCode).send(result.body);
}

@ApiTags('finance')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller()
export class FinanceController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly reads: FinanceReadsService,
  ) {}

  /** Invoices of the caller's organisation (finance users of either party). */
  @Get('invoices')
  @Header('Cache-Control', 'no-store')
  invoices(@CurrentUser() user: AuthUser, @Query() q: InvoiceQuery): Promise<InvoicePageDto> {
    return this.reads.invoices(user, q);
  }

  @Get('contracts/:id/balance')
  @Header('Cache-Control', 'no-store')
  balance(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BalanceDto> {
    return this.reads.balance(user, id);
  }

  /** A payout for open invoices of one studio; above the threshold it waits for a second approver. */
  @Post('payouts')
  @ApiHeader({ ...IDEMPOTENCY_HEADER, required: true })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreatePayoutDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayoutDto | void> {
    await replay(reply, await this.payouts.create(user, body.invoiceIds, key));
  }

  @Post('payouts/:id/approve')
  @HttpCode(200)
  @ApiHeader({ ...IDEMPOTENCY_HEADER, required: false })
  async approve(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayoutDto | void> {
    await replay(reply, await this.payouts.approve(user, id, key));
  }

  @Post('payouts/:id/mark-paid')
  @HttpCode(200)
  @ApiHeader({ ...IDEMPOTENCY_HEADER, required: false })
  async markPaid(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: MarkPaidDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayoutDto | void> {
    await replay(reply, await this.payouts.markPaid(user, id, body, key));
  }

  @Get('payouts')
  @Header('Cache-Control', 'no-store')
  list(@CurrentUser() user: AuthUser, @Query() q: PayoutQuery): Promise<PayoutPageDto> {
    return this.payouts.list(user, q);
  }

  @Get('payouts/:id')
  @Header('Cache-Control', 'no-store')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PayoutDto> {
    return this.payouts.get(user, id);
  }

  /** Spend by studio, genre or month; `Accept: text/csv` gives CSV. */
  @Get('reports/finance/spend')
  @ApiProduces('application/json', 'text/csv')
  async spend(
    @CurrentUser() user: AuthUser,
    @Query() q: SpendQuery,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<SpendReportDto | void> {
    const report = await this.reads.spend(user, q);
    if (!wantsCsv(accept)) return void (await reply.header('Cache-Control', 'no-store').send(report));
    await sendCsv(
      reply,
      `spend-by-${q.groupBy}`,
      [q.groupBy, 'label', 'invoices', 'amount', 'currency'],
      report.items.map((r) => [r.key, r.label, r.invoices, r.amount.amount, r.amount.currency]),
    );
  }

  /** Open invoices by age: 0-30, 31-60, 61-90, 90+ days; `Accept: text/csv` gives CSV. */
  @Get('reports/finance/payables')
  @ApiProduces('application/json', 'text/csv')
  async payables(
    @CurrentUser() user: AuthUser,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayablesReportDto | void> {
    const report = await this.reads.payables(user);
    if (!wantsCsv(accept)) return void (await reply.header('Cache-Control', 'no-store').send(report));
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
