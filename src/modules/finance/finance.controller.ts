import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  getSchemaPath,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { FinanceErrors } from './finance.errors';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { sendIdempotent } from '../../shared/http/idempotent-reply';
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
import { PayoutsService } from './payouts.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  description: 'Same key + same body → the first response; same key + other body → 422. Kept at least 24 h.',
};

/** A report: JSON by default, CSV with `Accept: text/csv`. */
const report = (type: new () => object) => ({
  content: {
    'application/json': { schema: { $ref: getSchemaPath(type) } },
    'text/csv': {
      schema: { type: 'string' as const, example: 'studio,amount,currency\nStudio One,1500000.00,KZT\n' },
    },
  },
});

@ApiExtraModels(SpendReportDto, PayablesReportDto)
@ApiTags('finance')
@ApiBearerAuth()
@Controller()
export class FinanceController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly reads: FinanceReadsService,
  ) {}

  /** Invoices of the caller's organisation (finance users of either party). */
  @Get('invoices')
  @Allow(Policy.Finance)
  invoices(@CurrentUser() user: AuthUser, @Query() q: InvoiceQuery): Promise<InvoicePageDto> {
    return this.reads.invoices(user, q);
  }

  /** Any user of either party of the contract (the contract's visibility decides: 404 otherwise). */
  @Get('contracts/:id/balance')
  @Allow(Policy.AnyUser)
  balance(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<BalanceDto> {
    return this.reads.balance(user, id);
  }

  /** A payout for open invoices of one studio; above the threshold it waits for a second approver. */
  @Post('payouts')
  @Allow(Policy.FinanceForBroadcaster)
  @ApiHeader({ ...IDEMPOTENCY_HEADER, required: true })
  @ApiErrors(
    FinanceErrors.IDEMPOTENCY_KEY_REQUIRED,
    FinanceErrors.IDEMPOTENCY_KEY_REUSED,
    FinanceErrors.INVOICE_NOT_OPEN,
    FinanceErrors.INVOICE_IN_PAYOUT,
    FinanceErrors.MIXED_PAYOUT,
  )
  @ApiCreatedResponse({
    type: PayoutDto,
    description: 'The payout (replays answer the first response again)',
  })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreatePayoutDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayoutDto | void> {
    await sendIdempotent(reply, await this.payouts.create(user, body.invoiceIds, key));
  }

  @Post('payouts/:id/approve')
  @ApiErrors(
    FinanceErrors.SECOND_APPROVER_REQUIRED,
    FinanceErrors.PAYOUT_STATE_CONFLICT,
    FinanceErrors.IDEMPOTENCY_KEY_REQUIRED,
    FinanceErrors.IDEMPOTENCY_KEY_REUSED,
  )
  @ApiOkResponse({ type: PayoutDto })
  @Allow(Policy.FinanceForBroadcaster)
  @HttpCode(200)
  @ApiHeader({ ...IDEMPOTENCY_HEADER, required: false })
  async approve(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayoutDto | void> {
    await sendIdempotent(reply, await this.payouts.approve(user, id, key));
  }

  @Post('payouts/:id/mark-paid')
  @ApiErrors(
    FinanceErrors.PAYOUT_STATE_CONFLICT,
    FinanceErrors.INVOICE_NOT_OPEN,
    FinanceErrors.IDEMPOTENCY_KEY_REQUIRED,
    FinanceErrors.IDEMPOTENCY_KEY_REUSED,
  )
  @ApiOkResponse({ type: PayoutDto })
  @Allow(Policy.FinanceForBroadcaster)
  @HttpCode(200)
  @ApiHeader({ ...IDEMPOTENCY_HEADER, required: false })
  async markPaid(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: MarkPaidDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayoutDto | void> {
    await sendIdempotent(reply, await this.payouts.markPaid(user, id, body, key));
  }

  /** Payouts of the caller's organisation (finance users of either party). */
  @Get('payouts')
  @Allow(Policy.Finance)
  list(@CurrentUser() user: AuthUser, @Query() q: PayoutQuery): Promise<PayoutPageDto> {
    return this.payouts.list(user, q);
  }

  @Get('payouts/:id')
  @Allow(Policy.Finance)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PayoutDto> {
    return this.payouts.get(user, id);
  }

  /** Spend by studio, genre or month; `Accept: text/csv` gives CSV. */
  @Get('reports/finance/spend')
  @Allow(Policy.FinanceForBroadcaster)
  @ApiOkResponse(report(SpendReportDto))
  spend(
    @CurrentUser() user: AuthUser,
    @Query() q: SpendQuery,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<SpendReportDto | void> {
    return this.reads.sendSpend(user, q, accept, reply);
  }

  /** Open invoices by age: 0-30, 31-60, 61-90, 90+ days; `Accept: text/csv` gives CSV. */
  @Get('reports/finance/payables')
  @Allow(Policy.FinanceForBroadcaster)
  @ApiOkResponse(report(PayablesReportDto))
  payables(
    @CurrentUser() user: AuthUser,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<PayablesReportDto | void> {
    return this.reads.sendPayables(user, accept, reply);
  }
}
