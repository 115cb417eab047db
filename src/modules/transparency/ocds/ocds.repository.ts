import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A published release as stored: its text is emitted byte for byte. */
export interface PublishedRelease {
  seq: string;
  text: string;
  recordedAt: Date;
}

/** The lock key of the sequencer (pg_advisory_xact_lock), one for the whole table. */
const SEQUENCER_LOCK = 7262015;

/** Every statement over ocds_releases (the transparency module owns it). */
@Injectable()
export class OcdsRepository {
  /** Records a release once (its id derives from its event); answers whether it was new. */
  async insert(
    em: EntityManager,
    r: {
      ocid: string;
      id: string;
      eventId: string;
      briefId: string;
      tag: string[];
      date: string;
      text: string;
    },
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO ocds_releases (ocid, id, event_id, brief_id, tag, date, release_text)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (ocid, id) DO NOTHING RETURNING id`,
      [r.ocid, r.id, r.eventId, r.briefId, r.tag, r.date, r.text],
    );
    return rows.length > 0;
  }

  /**
   * Publishes the committed releases that have no sequence yet: numbers them after the highest
   * sequence, in the order they were recorded; answers how many.
   *
   * Why a reader paging by `seq > cursor` never skips a release: a sequence is given only to rows
   * whose recording transaction has committed (this runs in a later transaction, started by an
   * event emitted with the release), by one sequencer at a time (the advisory lock is held until
   * this transaction commits, and the next sequencer's statement starts after that commit, so it
   * sees the numbers given before and continues above them), and all the numbers of one run
   * become visible at once, at its commit. So a row visible with sequence n was preceded by every
   * row with a lower sequence, already visible: the page after cursor n can only gain rows above n.
   */
  async sequence(em: EntityManager): Promise<number> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [SEQUENCER_LOCK]);
    const [, count] = await em.query<[unknown[], number]>(
      `WITH base AS (SELECT coalesce(max(seq), 0) AS n FROM ocds_releases),
            next AS (
              SELECT ocid, id, row_number() OVER (ORDER BY recorded_at, event_id, ocid, id) AS k
                FROM ocds_releases WHERE seq IS NULL)
       UPDATE ocds_releases r SET seq = base.n + next.k
         FROM base, next
        WHERE r.ocid = next.ocid AND r.id = next.id`,
    );
    return count;
  }

  /** Up to `limit` published releases after sequence `after`, dated `since` or later. */
  async page(
    em: EntityManager,
    after: string | null,
    since: string | null,
    limit: number,
  ): Promise<PublishedRelease[]> {
    const rows = await em.query<{ seq: string; release_text: string; recorded_at: Date }[]>(
      `SELECT seq, release_text, recorded_at FROM ocds_releases
        WHERE seq > $1 AND ($2::timestamptz IS NULL OR date >= $2::timestamptz)
        ORDER BY seq LIMIT $3`,
      [after ?? '0', since, limit],
    );
    return rows.map((r) => ({ seq: r.seq, text: r.release_text, recordedAt: r.recorded_at }));
  }

  /** When the last published release was recorded (null before the first). */
  async lastRecorded(em: EntityManager): Promise<Date | null> {
    const [row] = await em.query<{ recorded_at: Date }[]>(
      'SELECT recorded_at FROM ocds_releases WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1',
    );
    return row?.recorded_at ?? null;
  }

  /**
   * The published releases of one process in date order (OCDS records ask for it); releases of
   * one instant (one transaction) in the order of their events.
   */
  async ofProcess(em: EntityManager, ocid: string): Promise<PublishedRelease[]> {
    const rows = await em.query<{ seq: string; release_text: string; recorded_at: Date }[]>(
      `SELECT seq, release_text, recorded_at FROM ocds_releases
        WHERE ocid = $1 AND seq IS NOT NULL ORDER BY date, event_id, id`,
      [ocid],
    );
    return rows.map((r) => ({ seq: r.seq, text: r.release_text, recordedAt: r.recorded_at }));
  }
}
