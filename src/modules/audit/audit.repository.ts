import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cursorTsSql } from '../../shared/http/pagination';
import type { AuditEventDto } from './dto/audit-query.dto';

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
  /** With microseconds, exactly as hashed, so a client can recompute the chain. */
  at: string;
  hash: string;
  prev_hash: string;
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
  hash: r.hash,
  prevHash: r.prev_hash,
});

// The chain's hash input, shared by audit_append() and the verifier below. Any change here is a
// migration of both, so it lives in SQL only.
const RECOMPUTED_HASH = `encode(sha256(convert_to(concat_ws('|', seq, coalesce(actor_id::text, ''),
  coalesce(organisation_id::text, ''), action, entity_type, entity_id, coalesce(before::text, ''),
  coalesce(after::text, ''), ${cursorTsSql('at')}, prev_hash), 'UTF8')), 'hex')`;

@Injectable()
export class AuditRepository {
  /** One round trip to audit_append(), which takes the chain lock until the transaction ends. */
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
      `SELECT seq, actor_id, organisation_id, action, entity_type, entity_id, before, after,
              ${cursorTsSql('at')} AS at, hash, prev_hash
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

  /** How many events there are, and the first whose hash or link does not match (one pass). */
  async checkChain(em: EntityManager): Promise<{ checked: number; firstBroken: string | null }> {
    const [row] = await em.query<{ checked: number; first_broken: string | null }[]>(
      `WITH chain AS (
         SELECT seq, hash, prev_hash,
                coalesce(lag(hash) OVER (ORDER BY seq), 'GENESIS') AS expected_prev,
                ${RECOMPUTED_HASH} AS recomputed
           FROM audit_events)
       SELECT (SELECT count(*) FROM chain)::int AS checked,
              (SELECT min(seq) FROM chain WHERE hash <> recomputed OR prev_hash <> expected_prev)::text AS first_broken`,
    );
    return { checked: row?.checked ?? 0, firstBroken: row?.first_broken ?? null };
  }
}
