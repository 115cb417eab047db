import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { FinanceReadsService } from './finance-reads.service';
import { FinanceReportsReadModel } from './finance-reports.read-model';
import { FinanceController } from './finance.controller';
import { IdempotencyService } from './idempotency.service';
import { InvoicingService } from './invoicing.service';
import { ContractActiveHandler } from './jobs/contract-active.handler';
import { InvoiceReminderHandler } from './jobs/invoice-reminder.handler';
import { MilestoneAcceptedHandler } from './jobs/milestone-accepted.handler';
import { LedgerService } from './ledger.service';
import { PayoutsService } from './payouts.service';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { InvoicesRepository } from './repositories/invoices.repository';
import { LedgerRepository } from './repositories/ledger.repository';
import { PayoutsRepository } from './repositories/payouts.repository';

@Module({
  imports: [ContractsModule],
  controllers: [FinanceController],
  providers: [
    InvoicesRepository,
    PayoutsRepository,
    LedgerRepository,
    IdempotencyRepository,
    FinanceReportsReadModel,
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
