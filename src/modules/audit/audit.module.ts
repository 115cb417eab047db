import { Global, Module } from '@nestjs/common';
import { AuditSequencer } from './audit-sequencer';
import { AuditTreeService } from './audit-tree.service';
import { AuditController, PublicAuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { KeysController } from './signing/keys.controller';
import { SigningKeysRepository } from './signing/signing-keys.repository';
import { SigningService } from './signing/signing.service';

/**
 * The audit writer and Efir's signing key are shared infrastructure for every feature module,
 * hence global.
 */
@Global()
@Module({
  controllers: [AuditController, PublicAuditController, KeysController],
  providers: [
    AuditService,
    AuditTreeService,
    AuditSequencer,
    AuditRepository,
    SigningService,
    SigningKeysRepository,
  ],
  exports: [AuditService, SigningService],
})
export class AuditModule {}
