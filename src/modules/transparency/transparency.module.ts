import { Module } from '@nestjs/common';
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
  controllers: [OcdsController],
  providers: [OcdsService, OcdsRepository, OcdsReadModel, OcdsReleaseHandler, OcdsSequenceHandler],
})
export class TransparencyModule {}
