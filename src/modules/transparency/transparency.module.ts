import { Module } from '@nestjs/common';
import { LocalContentController } from './local-content/local-content.controller';
import { LocalContentReadModel } from './local-content/local-content.read-model';
import { LocalContentService } from './local-content/local-content.service';
import { ResponsivenessController } from './responsiveness/responsiveness.controller';
import { ResponsivenessReadModel } from './responsiveness/responsiveness.read-model';
import { ResponsivenessService } from './responsiveness/responsiveness.service';

/**
 * Open data and public figures (product.md, "Transparency and reports"): OCDS releases and
 * records of public-body broadcasters, the local-content report, responsiveness. It reads the
 * other modules only through their owners' exported read functions or a read model named so.
 */
@Module({
  controllers: [LocalContentController, ResponsivenessController],
  providers: [LocalContentReadModel, LocalContentService, ResponsivenessService, ResponsivenessReadModel],
})
export class TransparencyModule {}
