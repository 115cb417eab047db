import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQuery, AuditVerificationDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Allow(Policy.AnyUser)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Audit events, newest first: an org admin sees their own organisation's, the operator all. */
  @Get()
  @Allow(Policy.AuditRead)
  list(@CurrentUser() user: AuthUser, @Query() q: AuditQuery): Promise<AuditPageDto> {
    return this.audit.page(user, q);
  }

  /** Recomputes the hash chain and names the first broken event. */
  @Get('verify')
  @Allow(Policy.Operator)
  verify(): Promise<AuditVerificationDto> {
    return this.audit.verify();
  }
}
