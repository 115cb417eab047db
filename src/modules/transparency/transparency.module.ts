import { Module } from '@nestjs/common';

/**
 * Open data and public figures (product.md, "Transparency and reports"): OCDS releases and
 * records of public-body broadcasters, the local-content report, responsiveness. It reads the
 * other modules only through their owners' exported read functions or a read model named so.
 */
@Module({})
export class TransparencyModule {}
