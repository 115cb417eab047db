import { MilestoneReminderHandler } from './jobs/milestone-reminder.handler';
import { Module } from '@nestjs/common';
import { BidsModule } from '../bids/bids.module';
import { BriefsModule } from '../briefs/briefs.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AwardService } from './award.service';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';
import { MilestoneReminders } from './milestone-reminders';
import { ContractsRepository } from './repositories/contracts.repository';
import { MilestonesRepository } from './repositories/milestones.repository';
import { SigningService } from './signing.service';

@Module({
  imports: [OrganisationsModule, BriefsModule, BidsModule],
  controllers: [ContractsController],
  providers: [
    ContractsRepository,
    MilestonesRepository,
    ContractsService,
    AwardService,
    SigningService,
    MilestoneReminders,
    MilestoneReminderHandler,
  ],
  exports: [ContractsService],
})
export class ContractsModule {}
