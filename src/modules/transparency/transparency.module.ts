import { Module } from '@nestjs/common';
import { LocalContentController } from './local-content/local-content.controller';
import { LocalContentReadModel } from './local-content/local-content.read-model';
import { LocalContentService } from './local-content/local-content.service';
import { ResponsivenessController } from './responsiveness/responsiveness.controller';
import { ResponsivenessReadModel } from './responsiveness/responsiveness.read-model';
import { ResponsivenessService } from './responsiveness/responsiveness.service';
import { OcdsReleaseHandler } from './ocds/jobs/ocds-release.handler';
import { OcdsSequenceHandler } from './ocds/jobs/ocds-sequence.handler';
import { OcdsController } from './ocds/ocds.controller';
import { OcdsReadModel } from './ocds/ocds.read-model';
import { OcdsRepository } from './ocds/ocds.repository';
import { OcdsService } from './ocds/ocds.service';

/**
 * Open data and public figures (product.md, "Transparency and reports"): OCDS releases and
 * records of public-body broadcasters, the local-content report, responsiveness. It reads the
 * other modules only through their owners' exported read functions or a read model named so.
 */
@Module({
  controllers: [OcdsController, LocalContentController, ResponsivenessController],
  providers: [
    OcdsService,
    OcdsRepository,
    OcdsReadModel,
    OcdsReleaseHandler,
    OcdsSequenceHandler,
    LocalContentReadModel,
    LocalContentService,
    ResponsivenessService,
    ResponsivenessReadModel,
  ],
})
export class TransparencyModule {}
