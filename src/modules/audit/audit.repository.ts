import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cursorTsSql } from '../../shared/http/pagination';
import type { AuditEventDto, TreeHeadDto } from './dto/audit-query.dto';
import type { AuditLeafEvent } from './merkle/audit-leaf';

export interface AuditEntry {
  actorId: string | null;
  organisationId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** An audit event as the API shows it. */
export type AuditEventView = AuditEventDto;

export interface AuditFilter {
  organisationId: string | null;
  entityType?: string;
  entityId?: string;
  beforeSeq?: string;
  limit: number;
}

interface AuditRow {
  seq: string;
  actor_id: string | null;
  organisation_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  /** With microseconds, exactly as hashed, so a client can recompute the leaf hash. */
  at: string;
  hash: string | null;
  prev_hash: string | null;
  leaf_index: string | null;
  leaf_hash: string | null;
}

/** An event as the sequencer and the verifier read it. */
export interface LeafEventRow extends AuditLeafEvent {
  seq: string;
  leafIndex: string | null;
  leafHash: string | null;
}

interface TreeHeadRow {
  tree_size: string;
  root_hash: string;
  issued_at: string;
  signature: string;
  key_id: string;
}

const toAuditEventView = (r: AuditRow): AuditEventView => ({
  id: r.seq,
  actorId: r.actor_id,
  organisationId: r.organisation_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  before: r.before,
  after: r.after,
  at: r.at,
  leafIndex: r.leaf_index === null ? null : Number(r.leaf_index),
  leafHash: r.leaf_hash,
  hash: r.hash,
  prevHash: r.prev_hash,
});

const toLeafEvent = (r: AuditRow): LeafEventRow => ({
  seq: r.seq,
  actorId: r.actor_id,
  organisationId: r.organisation_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  before: r.before,
  after: r.after,
  at: r.at,
  leafIndex: r.leaf_index,
  leafHash: r.leaf_hash,
});

const toTreeHead = (r: TreeHeadRow): TreeHeadDto => ({
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  timestamp: r.issued_at,
  signature: r.signature,
  keyId: r.key_id,
});

const EVENT_COLUMNS = `seq, actor_id, organisation_id, action, entity_type, entity_id, before, after,
  ${cursorTsSql('at')} AS at, hash, prev_hash, leaf_index, leaf_hash`;

const HEAD_COLUMNS = `tree_size, root_hash, ${cursorTsSql('issued_at')} AS issued_at, signature, key_id`;

@Injectable()
export class AuditRepository {
  /** One INSERT through audit_append(): no lock, no read; the sequencer hashes it later. */
  async append(em: EntityManager, e: AuditEntry): Promise<void> {
    await em.query('SELECT audit_append($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)', [
      e.actorId,
      e.organisationId,
      e.action,
      e.entityType,
      e.entityId,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
    ]);
  }

  /** Newest first, before `beforeSeq` when given. */
  async list(em: EntityManager, filter: AuditFilter): Promise<AuditEventView[]> {
    const rows: AuditRow[] = await em.query(
      `SELECT ${EVENT_COLUMNS}
         FROM audit_events
        WHERE ($1::uuid IS NULL OR organisation_id = $1)
          AND ($2::text IS NULL OR entity_type = $2)
          AND ($3::text IS NULL OR entity_id = $3)
          AND ($4::bigint IS NULL OR seq < $4)
        ORDER BY seq DESC
        LIMIT $5`,
      [
        filter.organisationId,
        filter.entityType ?? null,
        filter.entityId ?? null,
        filter.beforeSeq ?? null,
        filter.limit,
      ],
    );
    return rows.map(toAuditEventView);
  }

  // ---- sequencer ----

  /**
   * Up to `limit` committed events without a leaf index: those of the old hash chain first, in
   * its seq order (their migration into the tree), then by (at, seq).
   */
  async unsequenced(em: EntityManager, limit: number): Promise<LeafEventRow[]> {
    const rows: AuditRow[] = await em.query(
      `SELECT ${EVENT_COLUMNS}
         FROM audit_events
        WHERE leaf_index IS NULL
        ORDER BY (hash IS NULL), CASE WHEN hash IS NOT NULL THEN seq END, at, seq
        LIMIT $1`,
      [limit],
    );
    return rows.map(toLeafEvent);
  }

  /** Sets leaf_index and leaf_hash of sequenced events (the one UPDATE the trigger allows). */
  async assignLeaves(
    em: EntityManager,
    leaves: { seq: string; leafIndex: number; leafHash: string }[],
  ): Promise<void> {
    await em.query(
      `UPDATE audit_events e SET leaf_index = v.leaf_index, leaf_hash = v.leaf_hash
         FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS v(seq, leaf_index, leaf_hash)
        WHERE e.seq = v.seq AND e.leaf_index IS NULL`,
      [leaves.map((l) => l.seq), leaves.map((l) => l.leafIndex), leaves.map((l) => l.leafHash)],
    );
  }

  /** The stored leaf hashes of leaves [from, to), in index order. */
  async leafHashes(em: EntityManager, from: number, to: number): Promise<string[]> {
    const rows = await em.query<{ leaf_hash: string }[]>(
      `SELECT leaf_hash FROM audit_events
        WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index`,
      [from, to],
    );
    return rows.map((r) => r.leaf_hash);
  }

  /** The lowest leaf index of a sequenced event with this leaf hash. */
  async leafIndexOf(em: EntityManager, leafHash: string): Promise<number | null> {
    const [row] = await em.query<{ leaf_index: string }[]>(
      `SELECT min(leaf_index)::text AS leaf_index FROM audit_events WHERE leaf_hash = $1`,
      [leafHash],
    );
    return row?.leaf_index == null ? null : Number(row.leaf_index);
  }

  /** Sequenced events with leaf_index > `after`, in index order (the verifier's pages). */
  async sequencedAfter(em: EntityManager, after: number, limit: number): Promise<LeafEventRow[]> {
    const rows: AuditRow[] = await em.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_events
        WHERE leaf_index > $1 ORDER BY leaf_index LIMIT $2`,
      [after, limit],
    );
    return rows.map(toLeafEvent);
  }

  async countEvents(em: EntityManager): Promise<{ total: number; unsequenced: number }> {
    const [row] = await em.query<{ total: number; unsequenced: number }[]>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE leaf_index IS NULL)::int AS unsequenced
         FROM audit_events`,
    );
    return row ?? { total: 0, unsequenced: 0 };
  }

  // ---- tree heads ----

  /** The database clock as the heads spell time (signed, so read before signing). */
  async now(em: EntityManager): Promise<string> {
    const [row] = await em.query<{ now: string }[]>(`SELECT ${cursorTsSql('now()')} AS now`);
    return row!.now;
  }

  async insertHead(em: EntityManager, head: TreeHeadDto): Promise<void> {
    await em.query(
      `INSERT INTO audit_tree_heads (tree_size, root_hash, issued_at, signature, key_id)
       VALUES ($1, $2, $3::timestamptz, $4, $5)`,
      [head.treeSize, head.rootHash, head.timestamp, head.signature, head.keyId],
    );
  }

  async latestHead(em: EntityManager): Promise<TreeHeadDto | null> {
    const [row] = await em.query<TreeHeadRow[]>(
      `SELECT ${HEAD_COLUMNS} FROM audit_tree_heads ORDER BY tree_size DESC LIMIT 1`,
    );
    return row ? toTreeHead(row) : null;
  }

  /** Newest first, below `beforeSize` when given. */
  async heads(em: EntityManager, beforeSize: number | null, limit: number): Promise<TreeHeadDto[]> {
    const rows = await em.query<TreeHeadRow[]>(
      `SELECT ${HEAD_COLUMNS} FROM audit_tree_heads
        WHERE ($1::bigint IS NULL OR tree_size < $1)
        ORDER BY tree_size DESC LIMIT $2`,
      [beforeSize, limit],
    );
    return rows.map(toTreeHead);
  }

  /** Every head, smallest first (the verifier). */
  async allHeads(em: EntityManager): Promise<TreeHeadDto[]> {
    const rows = await em.query<TreeHeadRow[]>(
      `SELECT ${HEAD_COLUMNS} FROM audit_tree_heads ORDER BY tree_size`,
    );
    return rows.map(toTreeHead);
  }
}
