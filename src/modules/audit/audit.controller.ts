import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { ApiErrors } from '../../shared/openapi/api-errors';
import { AuditTreeService } from './audit-tree.service';
import { AuditErrors } from './audit.errors';
import { AuditService } from './audit.service';
import {
  AuditPageDto,
  AuditQuery,
  AuditVerificationDto,
  ConsistencyProofDto,
  ConsistencyProofQuery,
  InclusionProofDto,
  InclusionProofQuery,
  TreeHeadDto,
  TreeHeadPageDto,
  TreeHeadsQuery,
} from './dto/audit-query.dto';

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

  /**
   * Recomputes every leaf hash and the Merkle tree from the stored events, checks every signed
   * tree head, and names the first broken leaf index.
   */
  @Get('verify')
  @Allow(Policy.Operator)
  verify(): Promise<AuditVerificationDto> {
    return this.audit.verify();
  }
}

/** Signed tree heads and proofs: public, they reveal only sizes, hashes and roots. */
@ApiTags('audit')
@Controller('public/audit')
export class PublicAuditController {
  constructor(private readonly tree: AuditTreeService) {}

  /** The latest signed tree head. */
  @Get('tree-heads/latest')
  @Allow(Policy.Public)
  @ApiErrors(AuditErrors.NO_TREE_HEAD)
  latest(): Promise<TreeHeadDto> {
    return this.tree.latestHead();
  }

  /** Signed tree heads, newest first. */
  @Get('tree-heads')
  @Allow(Policy.Public)
  @ApiErrors(CommonErrors.INVALID_CURSOR)
  heads(@Query() q: TreeHeadsQuery): Promise<TreeHeadPageDto> {
    return this.tree.heads(q.cursor, q.limit);
  }

  /** RFC 9162 inclusion proof of the event with `leafHash` in the tree of `treeSize` leaves. */
  @Get('proofs/inclusion')
  @Allow(Policy.Public)
  @ApiErrors(
    AuditErrors.NO_TREE_HEAD,
    AuditErrors.AUDIT_LEAF_NOT_FOUND,
    AuditErrors.TREE_SIZE_UNAVAILABLE,
    AuditErrors.LEAF_NOT_IN_TREE,
  )
  inclusion(@Query() q: InclusionProofQuery): Promise<InclusionProofDto> {
    return this.tree.inclusionProof(q.leafHash, q.treeSize);
  }

  /** RFC 9162 consistency proof between the trees of `first` and `second` leaves. */
  @Get('proofs/consistency')
  @Allow(Policy.Public)
  @ApiErrors(AuditErrors.TREE_SIZE_UNAVAILABLE, AuditErrors.CONSISTENCY_SIZES)
  consistency(@Query() q: ConsistencyProofQuery): Promise<ConsistencyProofDto> {
    return this.tree.consistencyProof(q.first, q.second);
  }
}
