import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Timestamp } from '../../../shared/database/columns';

/**
 * One OCDS release of a public body's contracting process, recorded from the outbox event of
 * the change (ocds.service.ts) and never changed afterwards, except for `seq`, which the
 * sequencer sets once, after the recording transaction has committed. The release id is unique
 * within its process (`ocid`), as OCDS asks; one event may record releases of several processes
 * (a payout paying invoices of several contracts).
 */
@Entity('ocds_releases')
@Index('ocds_releases_seq_key', ['seq'], { unique: true })
@Index('ocds_releases_unsequenced_idx', ['recordedAt'], { where: 'seq IS NULL' })
export class OcdsRelease {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'ocds_releases_pkey' })
  ocid: string;

  /** `<event type>-<outbox event id>`: stable, since an event is handled once per database. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'ocds_releases_pkey' })
  id: string;

  /** The outbox event it was recorded from: orders the releases of one instant as they happened. */
  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'brief_id', type: 'uuid' })
  briefId: string;

  @Column({ type: 'text', array: true })
  tag: string[];

  /** The release's `date`: when the change happened (its transaction's database time). */
  @Timestamp('date')
  date: Date;

  /** The release as published, byte for byte (jsonb would reorder its keys). */
  @Column({ name: 'release_text', type: 'text' })
  releaseText: string;

  @Timestamp('recorded_at', { default: () => 'now()' })
  recordedAt: Date;

  /** The publication sequence, NULL until the sequencer assigns it (unpublished until then). */
  @Column({ type: 'bigint', nullable: true })
  seq: string | null;
}
