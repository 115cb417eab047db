import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transition } from '../../shared/database/transition';
import { deliverableLifecycle, type DeliverableStatus } from './deliverable-status';
import type { DeliverableDto, DeliverableKind } from './dto/deliverable.dto';

export interface DeliverableRow {
  id: string;
  milestone_id: string;
  studio_id: string;
  kind: DeliverableKind;
  file_name: string;
  size: string;
  sha256: string;
  content_type: string;
  version: number;
  status: DeliverableStatus;
  created_at: Date;
}

const COLUMNS =
  'id, milestone_id, studio_id, kind, file_name, size, sha256, content_type, version, status, created_at';

export const toDeliverableDto = (r: DeliverableRow): DeliverableDto => ({
  id: r.id,
  milestoneId: r.milestone_id,
  kind: r.kind,
  fileName: r.file_name,
  size: Number(r.size),
  sha256: r.sha256,
  contentType: r.content_type,
  version: r.version,
  status: r.status,
  qc: null,
  createdAt: r.created_at.toISOString(),
});

/** What registering a deliverable stores (the version is the next of its kind on the milestone). */
export interface DeliverableInsert {
  milestoneId: string;
  studioId: string;
  kind: DeliverableKind;
  fileName: string;
  size: number;
  sha256: string;
  contentType: string;
  storageDriver: string;
  createdBy: string;
}

/** Every SQL statement over `deliverables`. */
@Injectable()
export class DeliverablesRepository {
  async findById(em: EntityManager, id: string): Promise<DeliverableRow | undefined> {
    const [row] = await em.query<DeliverableRow[]>(`SELECT ${COLUMNS} FROM deliverables WHERE id = $1`, [id]);
    return row;
  }

  /** The row, locked FOR UPDATE. */
  async lock(em: EntityManager, id: string): Promise<DeliverableRow | undefined> {
    const [row] = await em.query<DeliverableRow[]>(
      `SELECT ${COLUMNS} FROM deliverables WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /**
   * Claims a `verifying` row for one verification run: stamps `verify_started_at` and counts the
   * run. One guarded statement, so the row lock lasts as long as the UPDATE. False when the row
   * is not `verifying` (already recorded, or unknown).
   */
  async claimVerification(em: EntityManager, id: string): Promise<boolean> {
    const [, affected] = await em.query<[unknown[], number]>(
      `UPDATE deliverables SET verify_started_at = now(), verify_attempts = verify_attempts + 1
        WHERE id = $1 AND status = 'verifying'`,
      [id],
    );
    return affected === 1;
  }

  /** The studio that registered an upload. */
  async studioOf(em: EntityManager, id: string): Promise<{ studio_id: string } | undefined> {
    const [row] = await em.query<{ studio_id: string }[]>(
      'SELECT studio_id FROM deliverables WHERE id = $1',
      [id],
    );
    return row;
  }

  /**
   * One page of every version of every kind, by kind and newest first within a kind, after the
   * (kind, version) `after` (the unique key deliverables_milestone_kind_version_key).
   */
  async listForMilestone(
    em: EntityManager,
    milestoneId: string,
    after: { kind: string; version: number } | null,
    limit: number,
  ): Promise<DeliverableRow[]> {
    return em.query<DeliverableRow[]>(
      `SELECT ${COLUMNS} FROM deliverables
        WHERE milestone_id = $1
          AND ($2::text IS NULL OR kind > $2::text OR (kind = $2::text AND version < $3::int))
        ORDER BY kind, version DESC LIMIT $4`,
      [milestoneId, after?.kind ?? null, after?.version ?? null, limit],
    );
  }

  async hasReady(em: EntityManager, milestoneId: string): Promise<boolean> {
    const [ready] = await em.query<unknown[]>(
      `SELECT 1 FROM deliverables WHERE milestone_id = $1 AND status = 'ready' LIMIT 1`,
      [milestoneId],
    );
    return ready !== undefined;
  }

  /** Bytes a studio stores (rejected files do not count), as a decimal string. */
  async usedBytes(em: EntityManager, studioId: string): Promise<string> {
    const [used] = await em.query<{ bytes: string }[]>(
      `SELECT coalesce(sum(size), 0)::text AS bytes FROM deliverables WHERE studio_id = $1 AND status <> 'rejected'`,
      [studioId],
    );
    return used!.bytes;
  }

  /** Inserts the next version of its kind (the unique key maps a concurrent twin to 409). */
  async insertNextVersion(em: EntityManager, d: DeliverableInsert): Promise<DeliverableRow> {
    const [row] = await em.query<DeliverableRow[]>(
      `INSERT INTO deliverables (milestone_id, studio_id, kind, version, file_name, size, sha256, content_type,
                                 storage_driver, created_by)
       SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6, $7, $8, $9
         FROM deliverables WHERE milestone_id = $1 AND kind = $3
       RETURNING ${COLUMNS}`,
      [
        d.milestoneId,
        d.studioId,
        d.kind,
        d.fileName,
        d.size,
        d.sha256,
        d.contentType,
        d.storageDriver,
        d.createdBy,
      ],
    );
    return row!;
  }

  /**
   * The one write of `deliverables.status` (deliverable-status.ts): moves the row when its
   * status may become `to`; undefined otherwise.
   */
  transition(
    em: EntityManager,
    id: string,
    to: DeliverableStatus,
    options: { set?: string; params?: unknown[] } = {},
  ): Promise<{ id: string; status: DeliverableStatus } | undefined> {
    return transition(em, 'deliverables', deliverableLifecycle, id, to, options);
  }
}
