import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { BriefHooks } from './brief-hooks';
import { BriefsController } from './briefs.controller';
import { BriefsService } from './briefs.service';
import { QuestionsService } from './questions.service';
import { BriefsRepository } from './repositories/briefs.repository';
import { QuestionsRepository } from './repositories/questions.repository';

@Module({
  imports: [OrganisationsModule],
  controllers: [BriefsController],
  providers: [BriefsService, QuestionsService, BriefHooks, BriefsRepository, QuestionsRepository],
  exports: [BriefsService, BriefHooks],
})
export class BriefsModule {}
