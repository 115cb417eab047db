import { Module } from '@nestjs/common';
import { LocalContentController } from './local-content/local-content.controller';
import { LocalContentReadModel } from './local-content/local-content.read-model';
import { LocalContentService } from './local-content/local-content.service';

/**
 * Open data and public figures (product.md, "Transparency and reports"): OCDS releases and
 * records of public-body broadcasters, the local-content report, responsiveness. It reads the
 * other modules only through their owners' exported read functions or a read model named so.
 */
@Module({
  controllers: [LocalContentController],
  providers: [LocalContentReadModel, LocalContentService],
})
export class TransparencyModule {}
