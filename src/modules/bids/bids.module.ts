import { BriefDeadlineHandler } from './jobs/brief-deadline.handler';
import { Module } from '@nestjs/common';
import { BriefsModule } from '../briefs/briefs.module';
import { BidOpeningService } from './bid-opening.service';
import { BidsController } from './bids.controller';
import { BidsService } from './bids.service';
import { EvaluationService } from './evaluation.service';

@Module({
  imports: [BriefsModule],
  controllers: [BidsController],
  providers: [BidsService, BidOpeningService, EvaluationService, BriefDeadlineHandler],
  exports: [BidsService, BidOpeningService],
})
export class BidsModule {}
