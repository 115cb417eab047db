import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContractStatus } from '../../contracts/contract-status';
import type { MilestoneStatus } from '../../contracts/milestone-status';
import type { CountedContract } from './local-content';

// A read model (table-owners: *.read-model.ts may read, never write, other modules' tables): the
// local-content report reads contracts and milestones (contracts), briefs (episodes, minutes) and
// organisations (the studio's country and BIN).

/** Contracts that count: signed (active) or completed; drafts and terminated contracts do not. */
export const COUNTED_STATUSES: readonly ContractStatus[] = ['active', 'completed'];

/** A milestone is accepted (delivered) from its acceptance on, through invoicing and payment. */
export const ACCEPTED_MILESTONE_STATUSES: readonly MilestoneStatus[] = ['accepted', 'invoiced', 'paid'];

interface CountedRow {
  contract_id: string;
  brief_id: string;
  status: string;
  studio_id: string;
  studio_name: string;
  studio_country: string;
  studio_bin: string | null;
  signed_at: Date;
  episodes: number;
  episode_minutes: number;
  audio_languages: { language: string; minutes: number }[];
  value_amount: string;
  currency: string;
  milestones: number;
  milestones_accepted: number;
}

/** The SQL of the local-content report. */
@Injectable()
export class LocalContentReadModel {
  /** Whether `id` is a broadcaster organisation. */
  async isBroadcaster(em: EntityManager, id: string): Promise<boolean> {
    const [org] = await em.query<{ kind: string }[]>('SELECT kind FROM organisations WHERE id = $1', [id]);
    return org?.kind === 'broadcaster';
  }

  /**
   * The broadcaster's contracts signed in `year` (activated_at, a UTC calendar year) that are
   * active or completed, oldest signature first, with their brief's episodes and minutes, the
   * studio's country and BIN, and how many of their milestones are accepted.
   */
  async countedContracts(em: EntityManager, broadcasterId: string, year: number): Promise<CountedContract[]> {
    const rows = await em.query<CountedRow[]>(
      `SELECT c.id AS contract_id, c.brief_id, c.status, c.studio_id, so.name AS studio_name,
              so.country AS studio_country, so.bin AS studio_bin, c.activated_at AS signed_at,
              coalesce(b.episodes, 0) AS episodes, coalesce(b.episode_minutes, 0) AS episode_minutes,
              c.audio_languages, c.value_amount::text AS value_amount, c.currency,
              m.milestones, m.milestones_accepted
         FROM contracts c
         JOIN briefs b ON b.id = c.brief_id
         JOIN organisations so ON so.id = c.studio_id
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS milestones,
                  (count(*) FILTER (WHERE ms.status = ANY($4::text[])))::int AS milestones_accepted
             FROM milestones ms WHERE ms.contract_id = c.id) m
        WHERE c.broadcaster_id = $1 AND c.status = ANY($2::text[])
          AND c.activated_at >= make_timestamptz($3::int, 1, 1, 0, 0, 0, 'UTC')
          AND c.activated_at < make_timestamptz($3::int + 1, 1, 1, 0, 0, 0, 'UTC')
        ORDER BY c.activated_at, c.id`,
      [broadcasterId, COUNTED_STATUSES, year, ACCEPTED_MILESTONE_STATUSES],
    );
    return rows.map((r) => ({
      contractId: r.contract_id,
      briefId: r.brief_id,
      status: r.status,
      studio: { id: r.studio_id, name: r.studio_name, country: r.studio_country, bin: r.studio_bin },
      signedAt: r.signed_at,
      episodes: r.episodes,
      episodeMinutes: r.episode_minutes,
      audioLanguages: r.audio_languages,
      value: { amount: r.value_amount, currency: r.currency },
      milestones: r.milestones,
      milestonesAccepted: r.milestones_accepted,
    }));
  }
}
