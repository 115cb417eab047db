import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { requireAccess, type RequireOptions } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { DomainError } from '../../shared/errors/domain-error';
import type { FileResponse } from '../../shared/http/file-response';
import {
  decodeKeyCursor,
  KEY_PATTERNS,
  toKeyPage,
  type Page,
  type PageQuery,
} from '../../shared/http/pagination';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ContractErrors } from '../contracts/contracts.errors';
import { ContractsService, SIGNERS } from '../contracts/contracts.service';
import { OrganisationsService } from '../organisations/organisations.service';
import {
  deliverableAccess,
  milestoneWorkAccess,
  uploadAccess,
  type DeliverableAction,
  type MilestoneWork,
  type MilestoneWorkAction,
} from './deliverable.access';
import { DeliverableErrors } from './deliverables.errors';
import { DeliverablesRepository, toDeliverableDto, type DeliverableRow } from './deliverables.repository';
import { DELIVERABLE_KINDS, type DeliverableDto, type RegisterDeliverableDto } from './dto/deliverable.dto';
import { sanitizeFileName } from './file-name';
import { QcRepository } from './qc/qc.repository';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';

/** A deliverables cursor's kind part: one of the kinds. */
const KIND_CURSOR = new RegExp(`^(${DELIVERABLE_KINDS.join('|')})$`);

/** What a verification run read from storage: the SHA-256 (hex) and the byte count. */
export interface FileDigest {
  sha256: string;
  bytes: bigint;
}

/** Registration, verification and download of deliverables. */
@Injectable()
export class DeliverablesService {
  // The access declarations (deliverable.access.ts), bound to this module's readers.
  private readonly milestoneAccess: ReturnType<typeof milestoneWorkAccess>;
  private readonly deliverableAccess: ReturnType<typeof deliverableAccess>;
  private readonly uploadAccess: ReturnType<typeof uploadAccess>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly repository: DeliverablesRepository,
    private readonly qcReports: QcRepository,
    private readonly contracts: ContractsService,
    private readonly organisations: OrganisationsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.milestoneAccess = milestoneWorkAccess(contracts);
    this.deliverableAccess = deliverableAccess(repository, contracts);
    this.uploadAccess = uploadAccess(repository);
  }

  /** A milestone's contract, when the caller may take `action` on its deliverables (404/403). */
  requireMilestone(
    em: EntityManager,
    user: AuthUser,
    milestoneId: string,
    action: MilestoneWorkAction,
    options?: RequireOptions,
  ): Promise<MilestoneWork> {
    return requireAccess(this.milestoneAccess, em, user, milestoneId, action, options);
  }

  /** A deliverable, when the caller may take `action` on it (404/403). */
  requireDeliverable(
    em: EntityManager,
    user: AuthUser,
    id: string,
    action: DeliverableAction,
  ): Promise<DeliverableRow> {
    return requireAccess(this.deliverableAccess, em, user, id, action);
  }

  /**
   * Registers the next version of a kind on a milestone and creates its tus upload. Size and
   * quota are checked here, before a byte is sent.
   */
  async register(user: AuthUser, milestoneId: string, dto: RegisterDeliverableDto): Promise<DeliverableDto> {
    if (dto.size > this.config.maxUploadBytes) {
      throw new DomainError(
        DeliverableErrors.UPLOAD_TOO_LARGE,
        `At most ${this.config.maxUploadBytes} bytes`,
      );
    }
    return this.ds.transaction(async (em) => {
      const { contract } = await this.requireMilestone(em, user, milestoneId, 'upload');
      const milestone = (await this.contracts.lockMilestoneStatus(em, milestoneId))!;
      if (contract.row.status !== 'active') {
        throw new DomainError(
          ContractErrors.CONTRACT_STATE_CONFLICT,
          `The contract is ${contract.row.status}`,
        );
      }
      if (milestone.status !== 'pending' && milestone.status !== 'changes_requested') {
        throw new DomainError(DeliverableErrors.MILESTONE_CLOSED_FOR_UPLOADS);
      }
      // The organisation row lock serialises quota checks of one studio.
      await this.organisations.lockOrganisation(em, user.organisationId);
      const used = await this.repository.usedBytes(em, user.organisationId);
      if (BigInt(used) + BigInt(dto.size) > BigInt(this.config.storageQuotaBytesPerOrg)) {
        throw new DomainError(DeliverableErrors.STORAGE_QUOTA_EXCEEDED);
      }
      const row = await this.repository.insertNextVersion(em, {
        milestoneId,
        studioId: user.organisationId,
        kind: dto.kind,
        fileName: sanitizeFileName(dto.fileName),
        size: dto.size,
        sha256: dto.sha256,
        contentType: dto.contentType,
        storageDriver: this.storage.name,
        createdBy: user.id,
      });
      const deliverable = toDeliverableDto(row);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'deliverable.registered',
        entityType: 'deliverable',
        entityId: deliverable.id,
        after: deliverable,
      });
      // Last, so a failure rolls the row back; an orphaned empty upload is harmless.
      await this.storage.createUpload(deliverable.id, dto.size, {
        kind: dto.kind,
        version: String(deliverable.version),
      });
      return deliverable;
    });
  }

  /** By kind, newest version first within a kind; the cursor is the last (kind, version). */
  async list(user: AuthUser, milestoneId: string, q: PageQuery): Promise<Page<DeliverableDto>> {
    const after = decodeKeyCursor(q.cursor, [KIND_CURSOR, KEY_PATTERNS.int]);
    const em = this.ds.manager;
    await this.requireMilestone(em, user, milestoneId, 'read');
    const rows = await this.repository.listForMilestone(
      em,
      milestoneId,
      after ? { kind: after[0]!, version: Number(after[1]) } : null,
      q.limit + 1,
    );
    const page = toKeyPage(rows, q.limit, toDeliverableDto, (r) => [r.kind, r.version]);
    const qc = await this.qcReports.reportDtos(
      em,
      page.items.map((d) => d.id),
    );
    return { ...page, items: page.items.map((d) => ({ ...d, qc: qc.get(d.id) ?? null })) };
  }

  /** A verified file, streamed (local) or by redirect (S3), for either party. */
  async download(user: AuthUser, id: string): Promise<FileResponse> {
    const row = await this.requireDeliverable(this.ds.manager, user, id, 'download');
    if (row.status !== 'ready') throw new DomainError(DeliverableErrors.DELIVERABLE_NOT_READY);
    const file = toDeliverableDto(row);
    const download = await this.storage.download(id, file);
    if (download.kind === 'redirect') return download;
    return {
      ...download,
      size: file.size,
      contentType: file.contentType,
      fileName: file.fileName,
      errors: {
        rangeNotSatisfiable: DeliverableErrors.RANGE_NOT_SATISFIABLE,
        preconditionFailed: DeliverableErrors.PRECONDITION_FAILED,
      },
    };
  }

  /**
   * For the tus server: may this caller write to this upload? Only the registering studio's
   * signers; anyone else outside that studio is told it does not exist.
   */
  async assertUploader(user: AuthUser, id: string): Promise<void> {
    await requireAccess(this.uploadAccess, this.ds.manager, user, id, 'write');
  }

  /** The tus upload completed: verify it in the background (outbox → BullMQ). */
  async uploaded(id: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const moved = await this.repository.transition(em, id, 'verifying', { set: 'uploaded_at = now()' });
      if (moved) await this.outbox.emit(em, 'deliverable.uploaded', { deliverableId: id });
    });
  }

  /**
   * Claims a `verifying` deliverable for a verification run, in a transaction of its own that
   * ends before the file is read. False when there is nothing to verify (already recorded).
   */
  claimVerification(id: string): Promise<boolean> {
    return this.repository.claimVerification(this.ds.manager, id);
  }

  /**
   * Records what a verification run read: `ready` if the SHA-256 and the size match what was
   * declared, `rejected` otherwise, with its audit event and notification. Re-checks the row
   * under its lock first: when it is no longer `verifying`, another run recorded the result and
   * this one does nothing (answers null). The status is the only thing to re-check: nothing moves
   * a row back to `verifying`, the declared size and hash never change, and the stored object
   * (named by the id) is complete and immutable, so every run of one row reads the same answer.
   */
  recordVerification(id: string, read: FileDigest): Promise<'ready' | 'rejected' | null> {
    return this.ds.transaction(async (em) => {
      const row = await this.repository.lock(em, id);
      if (!row || row.status !== 'verifying') return null;
      const milestone = (await this.contracts.milestoneHeading(em, row.milestone_id))!;
      const ok = read.sha256 === row.sha256 && read.bytes === BigInt(row.size);
      const status = ok ? 'ready' : 'rejected';
      // The row is locked and verifying, so the move cannot be refused.
      await this.repository.transition(em, id, status, {
        set: 'computed_sha256 = $4, verified_at = now()',
        params: [read.sha256],
      });
      await this.audit.record(em, {
        actorId: null,
        organisationId: row.studio_id,
        action: `deliverable.${status}`,
        entityType: 'deliverable',
        entityId: id,
        after: { status, computedSha256: read.sha256, bytes: read.bytes.toString() },
      });
      await this.outbox.emit(em, ok ? 'deliverable.ready' : 'deliverable.rejected', {
        recipients: { organisationIds: [row.studio_id], roles: [...SIGNERS.studio] },
        data: {
          deliverableId: id,
          fileName: row.file_name,
          milestoneId: row.milestone_id,
          milestoneTitle: milestone.title,
          contractId: milestone.contract_id,
        },
      });
      return status;
    });
  }
}
