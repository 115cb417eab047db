import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QcItemOutcome, QcMeasured } from './checks';
import type { QcErrorDto, QcReportDto } from './dto/qc.dto';
import { qcLifecycle, type QcStatus } from './qc-status';

export interface QcReportRow {
  id: string;
  deliverable_id: string;
  run: number;
  attempt: number;
  status: QcStatus;
  profile_id: string;
  profile_version: number;
  tool_version: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  measured: QcMeasured | null;
  items: QcItemOutcome[] | null;
  error: QcErrorDto | null;
}

export interface QcWaiverRow {
  deliverable_id: string;
  item_id: string;
  reason: string;
  waived_by: string;
  created_at: Date;
}

/** A current video deliverable of a milestone, with its report's state (the acceptance gate). */
export interface QcGateRow {
  id: string;
  kind: string;
  version: number;
  status: QcStatus | null;
  items: QcItemOutcome[] | null;
  waived: string[];
}

/** What a claim hands the job: the run it measures, and what it measures against. */
export interface QcClaim {
  attempt: number;
  profile_id: string;
}

/** A recorded result (a measurement, `not_video`, or an error). */
export interface QcResult {
  status: Exclude<QcStatus, 'pending' | 'running'>;
  toolVersion: string | null;
  measured?: QcMeasured;
  items?: QcItemOutcome[];
  error?: QcErrorDto;
}

const COLUMNS = `id, deliverable_id, run, attempt, status, profile_id, profile_version, tool_version,
  started_at, finished_at, measured, items, error`;

export function toQcReportDto(r: QcReportRow, waivers: QcWaiverRow[]): QcReportDto | null {
  if (r.status === 'not_video') return null;
  const byItem = new Map(waivers.map((w) => [w.item_id, w]));
  return {
    status: r.status,
    run: r.run,
    profile: { id: r.profile_id, version: r.profile_version },
    tool: { name: 'ffmpeg', version: r.tool_version },
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    measured: r.measured,
    items: (r.items ?? []).map((i) => {
      const w = byItem.get(i.id);
      return {
        ...i,
        waiver: w ? { by: w.waived_by, reason: w.reason, at: w.created_at.toISOString() } : null,
      };
    }),
    error: r.error,
  };
}

/** Every SQL statement over `deliverable_qc_reports` and `deliverable_qc_waivers`. */
@Injectable()
export class QcRepository {
  async find(em: EntityManager, deliverableId: string, lock = false): Promise<QcReportRow | undefined> {
    const [row] = await em.query<QcReportRow[]>(
      `SELECT ${COLUMNS} FROM deliverable_qc_reports WHERE deliverable_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [deliverableId],
    );
    return row;
  }

  /** The first report of a deliverable (run 1, pending); undefined when it has one already. */
  async insertPending(
    em: EntityManager,
    r: { deliverableId: string; profileId: string; profileVersion: number },
  ): Promise<QcReportRow | undefined> {
    const [row] = await em.query<QcReportRow[]>(
      `INSERT INTO deliverable_qc_reports (deliverable_id, profile_id, profile_version)
       VALUES ($1, $2, $3) ON CONFLICT (deliverable_id) DO NOTHING RETURNING ${COLUMNS}`,
      [r.deliverableId, r.profileId, r.profileVersion],
    );
    return row;
  }

  /** A new run of the report: pending again, against `profile`, its result cleared. */
  async rerun(
    em: EntityManager,
    deliverableId: string,
    profile: { id: string; version: number },
  ): Promise<QcReportRow | undefined> {
    const [rows] = await em.query<[QcReportRow[], number]>(
      `UPDATE deliverable_qc_reports
          SET status = 'pending', run = run + 1, attempt = 0, profile_id = $2, profile_version = $3,
              tool_version = NULL, started_at = NULL, finished_at = NULL, measured = NULL, items = NULL,
              error = NULL, updated_at = now()
        WHERE deliverable_id = $1 AND status = ANY($4::text[])
        RETURNING ${COLUMNS}`,
      [deliverableId, profile.id, profile.version, qcLifecycle.from('pending')],
    );
    return rows[0];
  }

  /**
   * Claims run `run` for one attempt: pending, its own error (a retry) or running (a worker that
   * died) becomes running with the next attempt number. Undefined when the run is over or gone.
   */
  async claim(em: EntityManager, deliverableId: string, run: number): Promise<QcClaim | undefined> {
    const [rows] = await em.query<[QcClaim[], number]>(
      `UPDATE deliverable_qc_reports
          SET status = 'running', attempt = attempt + 1, started_at = now(), error = NULL, updated_at = now()
        WHERE deliverable_id = $1 AND run = $2 AND status = ANY($3::text[])
        RETURNING attempt, profile_id`,
      [deliverableId, run, qcLifecycle.from('running')],
    );
    return rows[0];
  }

  /**
   * Records the result of one claim, only while that claim is the latest of its run (running,
   * same run, same attempt): a duplicate or overtaken job changes nothing. True if recorded.
   */
  async record(
    em: EntityManager,
    deliverableId: string,
    claim: { run: number; attempt: number },
    r: QcResult,
  ): Promise<boolean> {
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE deliverable_qc_reports
          SET status = $4, tool_version = $5, measured = $6, items = $7, error = $8,
              finished_at = now(), updated_at = now()
        WHERE deliverable_id = $1 AND run = $2 AND attempt = $3 AND status = ANY($9::text[])
        RETURNING id`,
      [
        deliverableId,
        claim.run,
        claim.attempt,
        r.status,
        r.toolVersion,
        r.measured ? JSON.stringify(r.measured) : null,
        r.items ? JSON.stringify(r.items) : null,
        r.error ? JSON.stringify(r.error) : null,
        qcLifecycle.from(r.status),
      ],
    );
    return rows.length > 0;
  }

  async waivers(em: EntityManager, deliverableIds: string[]): Promise<QcWaiverRow[]> {
    return em.query<QcWaiverRow[]>(
      `SELECT deliverable_id, item_id, reason, waived_by, created_at
         FROM deliverable_qc_waivers WHERE deliverable_id = ANY($1::uuid[]) ORDER BY created_at, item_id`,
      [deliverableIds],
    );
  }

  /** One waiver per item (a check waived already violates deliverable_qc_waivers_item_key: 409). */
  async insertWaivers(
    em: EntityManager,
    w: { deliverableId: string; items: string[]; reason: string; userId: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO deliverable_qc_waivers (deliverable_id, item_id, reason, waived_by)
       SELECT $1, item, $3, $4 FROM unnest($2::text[]) AS item`,
      [w.deliverableId, w.items, w.reason, w.userId],
    );
  }

  /** The reports of these deliverables as shown on them (null: not a video, or not run yet). */
  async reportDtos(em: EntityManager, deliverableIds: string[]): Promise<Map<string, QcReportDto>> {
    if (!deliverableIds.length) return new Map();
    const [rows, waivers] = await Promise.all([
      em.query<QcReportRow[]>(
        `SELECT ${COLUMNS} FROM deliverable_qc_reports WHERE deliverable_id = ANY($1::uuid[])`,
        [deliverableIds],
      ),
      this.waivers(em, deliverableIds),
    ]);
    const out = new Map<string, QcReportDto>();
    for (const r of rows) {
      const dto = toQcReportDto(
        r,
        waivers.filter((w) => w.deliverable_id === r.deliverable_id),
      );
      if (dto) out.set(r.deliverable_id, dto);
    }
    return out;
  }

  /**
   * The current deliverable of each video kind on a milestone (its newest `ready` version), with
   * its report's status and items and the checks waived for it.
   */
  async gate(em: EntityManager, milestoneId: string, kinds: readonly string[]): Promise<QcGateRow[]> {
    return em.query<QcGateRow[]>(
      `SELECT d.id, d.kind, d.version, r.status, r.items,
              coalesce((SELECT array_agg(w.item_id) FROM deliverable_qc_waivers w WHERE w.deliverable_id = d.id),
                       '{}') AS waived
         FROM deliverables d
         LEFT JOIN deliverable_qc_reports r ON r.deliverable_id = d.id
        WHERE d.milestone_id = $1 AND d.kind = ANY($2::text[]) AND d.status = 'ready'
          AND d.version = (SELECT max(x.version) FROM deliverables x
                            WHERE x.milestone_id = d.milestone_id AND x.kind = d.kind AND x.status = 'ready')
        ORDER BY d.kind`,
      [milestoneId, kinds],
    );
  }
}
