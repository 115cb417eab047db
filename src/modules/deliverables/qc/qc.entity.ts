import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../../shared/database/columns';

/**
 * The current technical QC report of a video deliverable: one row per deliverable. A rerun
 * replaces its result under the next `run` number (the audit log keeps every recorded result).
 * `attempt` counts claims of the current run: the result of a claim that is no longer the latest
 * is discarded, so a job run twice records one report.
 */
@Entity('deliverable_qc_reports')
@Index('deliverable_qc_reports_deliverable_key', ['deliverableId'], { unique: true })
@Check(
  'deliverable_qc_reports_status_check',
  `status IN ('pending', 'running', 'pass', 'warning', 'fail', 'error', 'not_video')`,
)
export class DeliverableQcReport {
  @UuidPk('deliverable_qc_reports')
  id: string;

  @Column({ name: 'deliverable_id', type: 'uuid' })
  deliverableId: string;

  @ManyToOne('Deliverable', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'deliverable_id', foreignKeyConstraintName: 'deliverable_qc_reports_deliverable_fk' })
  private readonly deliverable?: unknown;

  @Column({ type: 'int', default: 1 })
  run: number;

  @Column({ type: 'int', default: 0 })
  attempt: number;

  @Column({ type: 'text', default: 'pending' })
  status: string;

  @Column({ name: 'profile_id', type: 'uuid' })
  profileId: string;

  @ManyToOne('BriefQcProfile', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'profile_id', foreignKeyConstraintName: 'deliverable_qc_reports_profile_fk' })
  private readonly profile?: unknown;

  /** The version of `profile_id` (profile versions never change). */
  @Column({ name: 'profile_version', type: 'int' })
  profileVersion: number;

  @Column({ name: 'tool_version', type: 'text', nullable: true })
  toolVersion: string | null;

  @Timestamp('started_at', { nullable: true })
  startedAt: Date | null;

  @Timestamp('finished_at', { nullable: true })
  finishedAt: Date | null;

  /** What was measured (api.md "Technical QC", `measured`). */
  @Column({ type: 'jsonb', nullable: true })
  measured: unknown;

  /** One outcome per check of the profile, waivers not included (they are rows of their own). */
  @Column({ type: 'jsonb', nullable: true })
  items: unknown;

  /** `{ code, message }` of the last attempt that could not measure the file. */
  @Column({ type: 'jsonb', nullable: true })
  error: unknown;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}

/** A commissioner's waiver of one failed check of a deliverable, with the reason (audited). */
@Entity('deliverable_qc_waivers')
@Index('deliverable_qc_waivers_item_key', ['deliverableId', 'itemId'], { unique: true })
export class DeliverableQcWaiver {
  @UuidPk('deliverable_qc_waivers')
  id: string;

  @Column({ name: 'deliverable_id', type: 'uuid' })
  deliverableId: string;

  @ManyToOne('Deliverable', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'deliverable_id', foreignKeyConstraintName: 'deliverable_qc_waivers_deliverable_fk' })
  private readonly deliverable?: unknown;

  @Column({ name: 'item_id', type: 'text' })
  itemId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'waived_by', type: 'uuid' })
  waivedBy: string;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'waived_by', foreignKeyConstraintName: 'deliverable_qc_waivers_waived_by_fk' })
  private readonly waiver?: unknown;

  @CreatedAt()
  createdAt: Date;
}
