import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../../shared/http/pagination';

export class AuditQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,40}$/)
  entityType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;
}

export class AuditEventDto {
  /** Position in the chain. */
  id: string;
  actorId: string | null;
  organisationId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  at: string;
  hash: string;
  prevHash: string;
}

export class AuditPageDto {
  items: AuditEventDto[];
  nextCursor: string | null;
}

export class AuditVerificationDto {
  valid: boolean;
  checked: number;
  /** The first event whose hash or link does not verify. */
  firstBrokenId?: string;
}
