import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { Page } from '../../shared/http/pagination';
import { AuditRepository, type AuditEntry, type AuditEventView } from './audit.repository';
import type { AuditQuery } from './dto/audit-query.dto';

export type { AuditEntry, AuditEventView } from './audit.repository';

export interface AuditVerification {
  valid: boolean;
  checked: number;
  firstBrokenId?: string;
}

// The audit cursor is the chain position (seq) of the page's last event, base64url-encoded.
const SEQ_CURSOR = /^\d{1,19}$/;

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repository: AuditRepository,
  ) {}

  /**
   * Appends one event inside the caller's transaction: one round trip, under the chain lock. The
   * lock is held until the transaction ends and serialises every audited write, so make this the
   * transaction's last statement where the flow allows.
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

  /**
   * Recomputes every hash and link in the database (one pass, streamed by Postgres) and reports
   * the first event that does not match: an edited row breaks its own hash, a deleted row
   * breaks the next row's link.
   */
  async verify(): Promise<AuditVerification> {
    const { checked, firstBroken } = await this.repository.checkChain(this.ds.manager);
    return firstBroken === null
      ? { valid: true, checked }
      : { valid: false, checked, firstBrokenId: firstBroken };
  }
}
