import { Module } from '@nestjs/common';
import { ResponsivenessController } from './responsiveness/responsiveness.controller';
import { ResponsivenessReadModel } from './responsiveness/responsiveness.read-model';
import { ResponsivenessService } from './responsiveness/responsiveness.service';

/**
 * Open data and public figures (product.md, "Transparency and reports"): OCDS releases and
 * records of public-body broadcasters, the local-content report, responsiveness. It reads the
 * other modules only through their owners' exported read functions or a read model named so.
 */
@Module({
  controllers: [ResponsivenessController],
  providers: [ResponsivenessService, ResponsivenessReadModel],
})
export class TransparencyModule {}
