import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CommonErrors, notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ContractErrors } from '../contracts/contracts.errors';
import { ContractsService, SIGNERS, type ContractTerms } from '../contracts/contracts.service';
import { DeliverableErrors } from './deliverables.errors';
import type { DeliverableDto, DeliverableKind, RegisterDeliverableDto } from './dto/deliverable.dto';
import { sanitizeFileName } from './file-name';
import { STORAGE_DRIVER, type Download, type StorageDriver } from './storage/storage-driver';

interface DeliverableRow {
  id: string;
  milestone_id: string;
  studio_id: string;
  kind: DeliverableKind;
  file_name: string;
  size: string;
  sha256: string;
  content_type: string;
  version: number;
  status: string;
  created_at: Date;
}

const COLUMNS =
  'id, milestone_id, studio_id, kind, file_name, size, sha256, content_type, version, status, created_at';

const toDto = (r: DeliverableRow): DeliverableDto => ({
  id: r.id,
  milestoneId: r.milestone_id,
  kind: r.kind,
  fileName: r.file_name,
  size: Number(r.size),
  sha256: r.sha256,
  contentType: r.content_type,
  version: r.version,
  status: r.status,
  qc: null,
  createdAt: r.created_at.toISOString(),
});

/** Registration, verification and download of deliverables. */
@Injectable()
export class DeliverablesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly contracts: ContractsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

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
      const { contract, milestone } = await this.milestoneForStudio(em, user, milestoneId);
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
      await em.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [user.organisationId]);
      const [used] = await em.query<{ bytes: string }[]>(
        `SELECT coalesce(sum(size), 0)::text AS bytes FROM deliverables WHERE studio_id = $1 AND status <> 'rejected'`,
        [user.organisationId],
      );
      if (BigInt(used!.bytes) + BigInt(dto.size) > BigInt(this.config.storageQuotaBytesPerOrg)) {
        throw new DomainError(DeliverableErrors.STORAGE_QUOTA_EXCEEDED);
      }
      const fileName = sanitizeFileName(dto.fileName);
      const [row] = await em.query<DeliverableRow[]>(
        `INSERT INTO deliverables (milestone_id, studio_id, kind, version, file_name, size, sha256, content_type,
                                   storage_driver, created_by)
         SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6, $7, $8, $9
           FROM deliverables WHERE milestone_id = $1 AND kind = $3
         RETURNING ${COLUMNS}`,
        [
          milestoneId,
          user.organisationId,
          dto.kind,
          fileName,
          dto.size,
          dto.sha256,
          dto.contentType,
          this.storage.name,
          user.id,
        ],
      );
      const deliverable = toDto(row!);
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

  /** Every version of every kind, newest first within a kind. */
  async list(user: AuthUser, milestoneId: string): Promise<DeliverableDto[]> {
    await this.milestoneVisible(this.ds.manager, user, milestoneId);
    const rows = await this.ds.query<DeliverableRow[]>(
      `SELECT ${COLUMNS} FROM deliverables WHERE milestone_id = $1 ORDER BY kind, version DESC`,
      [milestoneId],
    );
    return rows.map(toDto);
  }

  /** A verified file, streamed (local) or by redirect (S3), for either party. */
  async download(user: AuthUser, id: string): Promise<{ file: DeliverableDto; download: Download }> {
    const [row] = await this.ds.query<DeliverableRow[]>(`SELECT ${COLUMNS} FROM deliverables WHERE id = $1`, [
      id,
    ]);
    if (!row) throw notFound('Deliverable not found');
    await this.milestoneVisible(this.ds.manager, user, row.milestone_id).catch(() => {
      throw notFound('Deliverable not found');
    });
    if (row.status !== 'ready') throw new DomainError(DeliverableErrors.DELIVERABLE_NOT_READY);
    const file = toDto(row);
    return { file, download: await this.storage.download(id, file) };
  }

  /** For the tus server: may this caller write to this upload? Only the registering studio. */
  async assertUploader(user: { organisationId: string; role: string }, id: string): Promise<void> {
    const [row] = await this.ds.query<{ studio_id: string }[]>(
      'SELECT studio_id FROM deliverables WHERE id = $1',
      [id],
    );
    if (!row || row.studio_id !== user.organisationId) throw notFound('Upload not found');
    if (!(SIGNERS.studio as readonly string[]).includes(user.role))
      throw new DomainError(CommonErrors.FORBIDDEN);
  }

  /** The tus upload completed: verify it in the background (outbox → BullMQ). */
  async uploaded(id: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const [, changed] = await em.query<[unknown[], number]>(
        `UPDATE deliverables SET status = 'verifying', uploaded_at = now() WHERE id = $1 AND status = 'uploading'`,
        [id],
      );
      if (changed) await this.outbox.emit(em, 'deliverable.uploaded', { deliverableId: id });
    });
  }

  /**
   * Streams the stored file once to compute its SHA-256 and size; `ready` if both match what
   * was declared, `rejected` otherwise. Runs as the handler of `deliverable.uploaded`.
   */
  async verify(id: string, em: EntityManager): Promise<void> {
    const [row] = await em.query<(DeliverableRow & { contract_id: string; milestone_title: string })[]>(
      `SELECT d.id, d.milestone_id, d.studio_id, d.kind, d.file_name, d.size, d.sha256, d.content_type, d.version,
              d.status, d.created_at, m.contract_id, m.title AS milestone_title
         FROM deliverables d JOIN milestones m ON m.id = d.milestone_id WHERE d.id = $1 FOR UPDATE OF d`,
      [id],
    );
    if (!row || row.status !== 'verifying') return;
    const hash = createHash('sha256');
    let bytes = 0n;
    for await (const chunk of await this.storage.read(id)) {
      const buf = chunk as Buffer;
      bytes += BigInt(buf.length);
      hash.update(buf);
    }
    const computed = hash.digest('hex');
    const ok = computed === row.sha256 && bytes === BigInt(row.size);
    const status = ok ? 'ready' : 'rejected';
    await em.query(
      `UPDATE deliverables SET status = $2, computed_sha256 = $3, verified_at = now() WHERE id = $1`,
      [id, status, computed],
    );
    await this.audit.record(em, {
      actorId: null,
      organisationId: row.studio_id,
      action: `deliverable.${status}`,
      entityType: 'deliverable',
      entityId: id,
      after: { status, computedSha256: computed, bytes: bytes.toString() },
    });
    await this.outbox.emit(em, ok ? 'deliverable.ready' : 'deliverable.rejected', {
      recipients: { organisationIds: [row.studio_id], roles: [...SIGNERS.studio] },
      data: {
        deliverableId: id,
        fileName: row.file_name,
        milestoneId: row.milestone_id,
        milestoneTitle: row.milestone_title,
        contractId: row.contract_id,
      },
    });
  }

  /** The milestone and its contract, for the contract's studio signers (404 outside the parties). */
  private async milestoneForStudio(
    em: EntityManager,
    user: AuthUser,
    milestoneId: string,
  ): Promise<{ contract: ContractTerms; milestone: { status: string } }> {
    const found = await this.milestoneVisible(em, user, milestoneId);
    if (
      user.organisationId !== found.contract.row.studio_id ||
      !(SIGNERS.studio as readonly string[]).includes(user.role)
    ) {
      throw new DomainError(
        CommonErrors.FORBIDDEN,
        'Only the studio’s producers and admins upload deliverables',
      );
    }
    const [m] = await em.query<{ status: string }[]>(
      'SELECT status FROM milestones WHERE id = $1 FOR UPDATE',
      [milestoneId],
    );
    return { contract: found.contract, milestone: m! };
  }

  private async milestoneVisible(
    em: EntityManager,
    user: AuthUser,
    milestoneId: string,
  ): Promise<{ contract: ContractTerms }> {
    const [m] = await em.query<{ contract_id: string }[]>(
      'SELECT contract_id FROM milestones WHERE id = $1',
      [milestoneId],
    );
    if (!m) throw notFound('Milestone not found');
    const contract = await this.contracts.visible(em, user, m.contract_id).catch(() => {
      throw notFound('Milestone not found');
    });
    return { contract };
  }
}
