import { Module } from '@nestjs/common';
import { BriefsModule } from '../briefs/briefs.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { BidOpeningService } from './bid-opening.service';
import { BidsController } from './bids.controller';
import { BidsRepository } from './bids.repository';
import { BidsService } from './bids.service';
import { EvaluationService } from './evaluation.service';
import { BriefDeadlineHandler } from './jobs/brief-deadline.handler';

@Module({
  imports: [BriefsModule, OrganisationsModule],
  controllers: [BidsController],
  providers: [BidsRepository, BidsService, BidOpeningService, EvaluationService, BriefDeadlineHandler],
  exports: [BidsService, BidOpeningService],
})
export class BidsModule {}
