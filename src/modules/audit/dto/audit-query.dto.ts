import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
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
  /** Position in the Merkle tree; null until the sequencer has integrated the event (≤ about 1 s). */
  leafIndex: number | null;
  /**
   * Hex SHA-256(0x00 ‖ UTF-8 RFC 8785 canonical JSON of { actorId, organisationId, action,
   * entityType, entityId, before, after, at }); null until sequenced.
   */
  leafHash: string | null;
  /** The old hash chain (events appended before the Merkle tree only; not checked any more). */
  hash: string | null;
  /** The old hash chain's link (events appended before the Merkle tree only). */
  prevHash: string | null;
}

export class AuditPageDto {
  items: AuditEventDto[];
  nextCursor: string | null;
}

export class AuditVerificationDto {
  valid: boolean;
  /** Sequenced events whose leaf hash was recomputed. */
  checked: number;
  /** Signed tree heads whose signature and root were checked. */
  headsChecked: number;
  /** Committed events the sequencer has not integrated yet (not a fault). */
  unsequenced: number;
  /**
   * The first leaf index that does not verify: an event changed (its recomputed leaf hash
   * differs), missing (a gap, or fewer leaves than a head covers) or reordered (the tree stops
   * matching a signed head: located to the leaves after the last head that still matches).
   */
  firstBrokenLeafIndex?: number;
  /** The id of the event at firstBrokenLeafIndex, when there is one. */
  firstBrokenId?: string;
  /** The size of the first signed tree head whose signature or root does not verify. */
  firstBrokenTreeSize?: number;
}

/** A signed tree head (api.md "Audit log (verifiable)"). */
export class TreeHeadDto {
  treeSize: number;
  /** Hex RFC 9162 Merkle tree hash of the first treeSize leaves. */
  rootHash: string;
  /** Database time of signing, ISO 8601 UTC with microseconds. */
  timestamp: string;
  /** Base64 Ed25519 over "efir-tree-head.v1\n" + treeSize + "\n" + rootHash + "\n" + timestamp. */
  signature: string;
  /** The key in GET /public/keys (use audit-tree-head). */
  keyId: string;
}

export class TreeHeadPageDto {
  items: TreeHeadDto[];
  nextCursor: string | null;
}

export class TreeHeadsQuery extends PageQuery {}

export class InclusionProofQuery {
  /** Hex leaf hash of the event (its leafHash in GET /audit). */
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  leafHash: string;

  /** The tree size to prove inclusion in; the latest head's when absent. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  treeSize?: number;
}

export class InclusionProofDto {
  leafIndex: number;
  treeSize: number;
  /** RFC 9162 §2.1.3 audit path, hex, leaf to root. */
  auditPath: string[];
}

export class ConsistencyProofQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  first: number;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  second: number;
}

export class ConsistencyProofDto {
  first: number;
  second: number;
  /** RFC 9162 §2.1.4 consistency path, hex. */
  consistencyPath: string[];
}
