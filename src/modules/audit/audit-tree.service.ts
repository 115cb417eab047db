import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import type { Page } from '../../shared/http/pagination';
import { treeHeadMessage } from './audit-sequencer';
import { AuditErrors } from './audit.errors';
import { AuditRepository } from './audit.repository';
import type {
  AuditVerificationDto,
  ConsistencyProofDto,
  InclusionProofDto,
  TreeHeadDto,
} from './dto/audit-query.dto';
import { eventLeafHash } from './merkle/audit-leaf';
import { Frontier, consistencyPath, inclusionPath } from './merkle/merkle-tree';
import { SigningService, verifySignature } from './signing/signing.service';

// The tree-heads cursor is the tree size of the page's last head, base64url-encoded.
const SIZE_CURSOR = /^\d{1,15}$/;
/** Events read per query by the verifier. */
const VERIFY_PAGE = 5000;

/**
 * The verifiable side of the audit log: signed tree heads, RFC 9162 inclusion and consistency
 * proofs, and the operator's full verification.
 *
 * Proofs are computed on demand from the stored leaf hashes of the first `treeSize` leaves
 * (one indexed range read, then O(treeSize) hashes: about 1 s per 10^6 leaves); no interior
 * nodes are stored.
 */
@Injectable()
export class AuditTreeService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repository: AuditRepository,
    private readonly signing: SigningService,
  ) {}

  async latestHead(): Promise<TreeHeadDto> {
    const head = await this.repository.latestHead(this.ds.manager);
    if (!head) throw new DomainError(AuditErrors.NO_TREE_HEAD);
    return head;
  }

  /** Signed heads, newest first. */
  async heads(cursor: string | undefined, limit: number): Promise<Page<TreeHeadDto>> {
    const before = cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString();
    if (before !== undefined && !SIZE_CURSOR.test(before)) throw new DomainError(CommonErrors.INVALID_CURSOR);
    const rows = await this.repository.heads(
      this.ds.manager,
      before === undefined ? null : Number(before),
      limit + 1,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last ? Buffer.from(String(last.treeSize)).toString('base64url') : null,
    };
  }

  async inclusionProof(leafHash: string, treeSize?: number): Promise<InclusionProofDto> {
    const em = this.ds.manager;
    const size = await this.provenSize(em, treeSize ?? null);
    const leafIndex = await this.repository.leafIndexOf(em, leafHash);
    if (leafIndex === null) throw new DomainError(AuditErrors.AUDIT_LEAF_NOT_FOUND);
    if (leafIndex >= size) throw new DomainError(AuditErrors.LEAF_NOT_IN_TREE);
    const leaves = await this.leaves(em, size);
    return { leafIndex, treeSize: size, auditPath: inclusionPath(leaves, leafIndex, size).map(hex) };
  }

  async consistencyProof(first: number, second: number): Promise<ConsistencyProofDto> {
    if (first > second) throw new DomainError(AuditErrors.CONSISTENCY_SIZES);
    const em = this.ds.manager;
    await this.provenSize(em, second);
    const leaves = await this.leaves(em, second);
    return { first, second, consistencyPath: consistencyPath(leaves, first, second).map(hex) };
  }

  /**
   * Recomputes every sequenced event's leaf hash from its stored fields, rebuilds the tree from
   * them in leaf order, and checks each signed head's signature and root at its size, in one
   * pass (O(n + heads · log n) hashes, events read in pages). The first broken leaf index is a
   * changed event (its recomputed hash differs from the stored one), a missing one (a gap in the
   * indexes, or fewer leaves than a head covers), or else, when the tree stops matching a signed
   * head (events reordered with their hashes), the first leaf after the last head that still
   * matches — exact when heads were issued at consecutive sizes.
   */
  async verify(): Promise<AuditVerificationDto> {
    const em = this.ds.manager;
    const heads = await this.repository.allHeads(em);
    const keys = new Map(
      (await this.signing.list()).map((k) => [k.keyId, Buffer.from(k.publicKey, 'base64')]),
    );
    const frontier = new Frontier();
    let rowBroken: number | null = null;
    let badSignatureSize: number | null = null;
    let badRootSize: number | null = null;
    let lastGoodSize = 0;
    let h = 0;
    const checkHeads = (): void => {
      for (; h < heads.length && heads[h]!.treeSize <= frontier.size; h++) {
        const head = heads[h]!;
        const key = keys.get(head.keyId);
        const signed =
          key !== undefined &&
          verifySignature(key, treeHeadMessage(head.treeSize, head.rootHash, head.timestamp), head.signature);
        if (!signed) badSignatureSize ??= head.treeSize;
        if (head.treeSize === frontier.size && head.rootHash === hex(frontier.root())) {
          if (badRootSize === null) lastGoodSize = head.treeSize;
        } else badRootSize ??= head.treeSize;
      }
    };
    let expected = 0;
    for (;;) {
      const page = await this.repository.sequencedAfter(em, expected - 1, VERIFY_PAGE);
      for (const row of page) {
        const index = Number(row.leafIndex);
        if (index !== expected) rowBroken ??= expected;
        const recomputed = eventLeafHash(row);
        if (recomputed !== row.leafHash) rowBroken ??= index;
        frontier.append(Buffer.from(recomputed, 'hex'));
        checkHeads();
        expected = index + 1;
      }
      if (page.length < VERIFY_PAGE) break;
    }
    if (h < heads.length) {
      // Heads cover leaves that are gone (the last ones deleted).
      rowBroken ??= frontier.size;
      badRootSize ??= heads[h]!.treeSize;
      for (; h < heads.length; h++) {
        const head = heads[h]!;
        const key = keys.get(head.keyId);
        if (
          !key ||
          !verifySignature(key, treeHeadMessage(head.treeSize, head.rootHash, head.timestamp), head.signature)
        )
          badSignatureSize ??= head.treeSize;
      }
    }
    const { unsequenced } = await this.repository.countEvents(em);
    const result: AuditVerificationDto = {
      valid: rowBroken === null && badRootSize === null && badSignatureSize === null,
      checked: frontier.size,
      headsChecked: heads.length,
      unsequenced,
    };
    const broken =
      rowBroken !== null && (badRootSize === null || rowBroken < badRootSize)
        ? rowBroken
        : badRootSize !== null
          ? lastGoodSize
          : null;
    if (broken !== null) {
      result.firstBrokenLeafIndex = broken;
      const [event] = await this.repository.sequencedAfter(em, broken - 1, 1);
      if (event && Number(event.leafIndex) === broken) result.firstBrokenId = event.seq;
    }
    const brokenSize = Math.min(badRootSize ?? Infinity, badSignatureSize ?? Infinity);
    if (brokenSize !== Infinity) result.firstBrokenTreeSize = brokenSize;
    return result;
  }

  /** `treeSize` (the latest head's when null), refused beyond the latest head. */
  private async provenSize(em: EntityManager, treeSize: number | null): Promise<number> {
    const head = await this.repository.latestHead(em);
    if (!head)
      throw new DomainError(treeSize === null ? AuditErrors.NO_TREE_HEAD : AuditErrors.TREE_SIZE_UNAVAILABLE);
    if (treeSize !== null && treeSize > head.treeSize)
      throw new DomainError(AuditErrors.TREE_SIZE_UNAVAILABLE);
    return treeSize ?? head.treeSize;
  }

  private async leaves(em: EntityManager, size: number): Promise<Buffer[]> {
    const hashes = await this.repository.leafHashes(em, 0, size);
    return hashes.map((x) => Buffer.from(x, 'hex'));
  }
}

const hex = (b: Buffer): string => b.toString('hex');
