import { ContractActiveHandler } from './jobs/contract-active.handler';
import { InvoiceReminderHandler } from './jobs/invoice-reminder.handler';
import { MilestoneAcceptedHandler } from './jobs/milestone-accepted.handler';
import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { FinanceReadsService } from './finance-reads.service';
import { FinanceController } from './finance.controller';
import { IdempotencyService } from './idempotency.service';
import { InvoicingService } from './invoicing.service';
import { LedgerService } from './ledger.service';
import { PayoutsService } from './payouts.service';

@Module({
  imports: [ContractsModule],
  controllers: [FinanceController],
  providers: [
    LedgerService,
    IdempotencyService,
    InvoicingService,
    PayoutsService,
    FinanceReadsService,
    ContractActiveHandler,
    MilestoneAcceptedHandler,
    InvoiceReminderHandler,
  ],
  exports: [LedgerService],
})
export class FinanceModule {}
