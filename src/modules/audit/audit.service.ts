import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { Page } from '../../shared/http/pagination';
import { AuditTreeService } from './audit-tree.service';
import { AuditRepository, type AuditEntry, type AuditEventView } from './audit.repository';
import type { AuditQuery, AuditVerificationDto } from './dto/audit-query.dto';

export type { AuditEntry, AuditEventView } from './audit.repository';

export type AuditVerification = AuditVerificationDto;

// The audit cursor is the chain position (seq) of the page's last event, base64url-encoded.
const SEQ_CURSOR = /^\d{1,19}$/;

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repository: AuditRepository,
    private readonly tree: AuditTreeService,
  ) {}

  /**
   * Appends one event inside the caller's transaction: one INSERT, no lock and no read, so
   * audited writes do not wait for each other. The event joins the Merkle tree once committed
   * (AuditSequencer, within about AUDIT_SEQUENCE_INTERVAL_MS); a rolled-back event never does.
   */
  async record(em: EntityManager, e: AuditEntry): Promise<void> {
    await this.repository.append(em, e);
  }

  /** Audit events, newest first: an org admin sees their own organisation's, the operator all. */
  async page(user: AuthUser, q: AuditQuery): Promise<Page<AuditEventView>> {
    const beforeSeq = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString();
    if (beforeSeq !== undefined && !SEQ_CURSOR.test(beforeSeq))
      throw new DomainError(CommonErrors.INVALID_CURSOR);
    const rows = await this.repository.list(this.ds.manager, {
      organisationId: Policy.Operator.allows(user) ? null : user.organisationId,
      entityType: q.entityType,
      entityId: q.entityId,
      beforeSeq,
      limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > q.limit && last ? Buffer.from(last.id).toString('base64url') : null,
    };
  }

  /** Recomputes the leaf hashes and the tree, and checks every signed head (AuditTreeService). */
  verify(): Promise<AuditVerification> {
    return this.tree.verify();
  }
}
