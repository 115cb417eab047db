import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QcProfileDto } from './qc-profile.dto';
import type { DeliveryTargets, QcProfileItem } from './qc-items';

export interface QcProfileRow {
  id: string;
  brief_id: string;
  version: number;
  items: QcProfileItem[];
  source: 'default' | 'commissioner';
  created_at: Date;
}

const COLUMNS = 'id, brief_id, version, items, source, created_at';

export const toQcProfileDto = (r: QcProfileRow): QcProfileDto => ({
  id: r.id,
  briefId: r.brief_id,
  version: r.version,
  source: r.source,
  items: r.items as unknown as QcProfileDto['items'],
  createdAt: r.created_at.toISOString(),
});

/** Every SQL statement over `brief_qc_profiles`, and what a profile is derived from. */
@Injectable()
export class QcProfilesRepository {
  async latest(em: EntityManager, briefId: string): Promise<QcProfileRow | undefined> {
    const [row] = await em.query<QcProfileRow[]>(
      `SELECT ${COLUMNS} FROM brief_qc_profiles WHERE brief_id = $1 ORDER BY version DESC LIMIT 1`,
      [briefId],
    );
    return row;
  }

  async findById(em: EntityManager, id: string): Promise<QcProfileRow | undefined> {
    const [row] = await em.query<QcProfileRow[]>(`SELECT ${COLUMNS} FROM brief_qc_profiles WHERE id = $1`, [
      id,
    ]);
    return row;
  }

  /**
   * Adds a version; a concurrent twin of the same version (two first reads of a default
   * profile) is no error: undefined, and the caller reads the winner.
   */
  async insert(
    em: EntityManager,
    p: { briefId: string; version: number; items: QcProfileItem[]; source: string; createdBy: string | null },
  ): Promise<QcProfileRow | undefined> {
    const [row] = await em.query<QcProfileRow[]>(
      `INSERT INTO brief_qc_profiles (brief_id, version, items, source, created_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (brief_id, version) DO NOTHING RETURNING ${COLUMNS}`,
      [p.briefId, p.version, JSON.stringify(p.items), p.source, p.createdBy],
    );
    return row;
  }

  /** The brief's delivery spec and episode length (a profile's defaults). */
  async targets(em: EntityManager, briefId: string): Promise<DeliveryTargets | undefined> {
    const [row] = await em.query<
      { delivery_spec: DeliveryTargets['deliverySpec']; episode_minutes: number | null }[]
    >('SELECT delivery_spec, episode_minutes FROM briefs WHERE id = $1', [briefId]);
    return row && { deliverySpec: row.delivery_spec, episodeMinutes: row.episode_minutes };
  }
}
