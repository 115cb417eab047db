import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQuery, AuditVerificationDto } from './dto/audit-query.dto';

const SEQ_CURSOR = /^\d{1,19}$/;

@ApiTags('audit')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Audit events, newest first: an org admin sees their own organisation's, the operator all. */
  @Get()
  @Allow(Policy.AuditRead)
  async list(@CurrentUser() user: AuthUser, @Query() q: AuditQuery): Promise<AuditPageDto> {
    const beforeSeq = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString();
    if (beforeSeq !== undefined && !SEQ_CURSOR.test(beforeSeq))
      throw new DomainError(CommonErrors.INVALID_CURSOR);
    const rows = await this.audit.list({
      organisationId: user.role === 'operator' ? null : user.organisationId,
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

  /** Recomputes the hash chain and names the first broken event. */
  @Get('verify')
  @Allow(Policy.Operator)
  verify(): Promise<AuditVerificationDto> {
    return this.audit.verify();
  }
}
