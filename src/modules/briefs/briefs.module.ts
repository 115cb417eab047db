import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { BriefHooks } from './brief-hooks';
import { BriefsController } from './briefs.controller';
import { BriefsService } from './briefs.service';
import { QcProfileController } from './qc-profile/qc-profile.controller';
import { QcProfilesRepository } from './qc-profile/qc-profiles.repository';
import { QcProfilesService } from './qc-profile/qc-profiles.service';
import { QuestionsService } from './questions.service';
import { BriefsRepository } from './repositories/briefs.repository';
import { QuestionsRepository } from './repositories/questions.repository';

@Module({
  imports: [OrganisationsModule],
  controllers: [BriefsController, QcProfileController],
  providers: [
    BriefsService,
    QuestionsService,
    BriefHooks,
    BriefsRepository,
    QuestionsRepository,
    QcProfilesService,
    QcProfilesRepository,
  ],
  exports: [BriefsService, BriefHooks, QcProfilesService],
})
export class BriefsModule {}
