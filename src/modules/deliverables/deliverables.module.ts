import { DeliverableUploadedHandler } from './jobs/deliverable-uploaded.handler';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { BriefsModule } from '../briefs/briefs.module';
import { ContractsModule } from '../contracts/contracts.module';
import { IdentityModule } from '../identity/identity.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { DeliverablesController } from './deliverables.controller';
import { DeliverablesRepository } from './deliverables.repository';
import { DeliverablesService } from './deliverables.service';
import { MilestoneReviewService } from './milestone-review.service';
import { DeliverableReadyQcHandler } from './qc/jobs/deliverable-ready.handler';
import { QcController } from './qc/qc.controller';
import { QcRepository } from './qc/qc.repository';
import { QcService } from './qc/qc.service';
import { LocalStorage } from './storage/local-storage';
import { S3Storage } from './storage/s3-storage';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';
import { TusUploads } from './tus-uploads';
import { DeliverableVerification } from './verification/deliverable-verification';

export function createStorage(config: AppConfig): StorageDriver {
  return config.storageDriver === 's3' ? new S3Storage(config.s3) : new LocalStorage(config.storageDir);
}

@Module({
  imports: [IdentityModule, OrganisationsModule, BriefsModule, ContractsModule],
  controllers: [DeliverablesController, QcController],
  providers: [
    DeliverablesRepository,
    DeliverablesService,
    MilestoneReviewService,
    TusUploads,
    DeliverableVerification,
    DeliverableUploadedHandler,
    QcRepository,
    QcService,
    DeliverableReadyQcHandler,
    { provide: STORAGE_DRIVER, inject: [APP_CONFIG], useFactory: createStorage },
  ],
})
export class DeliverablesModule {}
