import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../shared/database/columns';

/**
 * A file attached to a milestone. The stored object is named by the deliverable id (never by
 * user input); the file name is metadata only. Rows are never deleted: a new upload of a kind
 * is the next version.
 */
@Entity('deliverables')
@Index('deliverables_milestone_kind_version_key', ['milestoneId', 'kind', 'version'], { unique: true })
@Index('deliverables_studio_idx', ['studioId'])
@Check('deliverables_status_check', `status IN ('uploading', 'verifying', 'ready', 'rejected')`)
@Check(
  'deliverables_kind_check',
  `kind IN ('programme_master', 'rough_cut', 'trailer', 'script', 'subtitles', 'artwork', 'music_cue_sheet', 'other')`,
)
@Check('deliverables_size_check', `size > 0`)
export class Deliverable {
  @UuidPk('deliverables')
  id: string;

  @Column({ name: 'milestone_id', type: 'uuid' })
  milestoneId: string;

  @ManyToOne('Milestone', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'milestone_id', foreignKeyConstraintName: 'deliverables_milestone_fk' })
  private readonly milestone?: unknown;

  @Column({ name: 'studio_id', type: 'uuid' })
  studioId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'studio_id', foreignKeyConstraintName: 'deliverables_studio_fk' })
  private readonly studio?: unknown;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ type: 'bigint' })
  size: string;

  /** Declared by the studio; the upload is checked against it. */
  @Column({ type: 'text' })
  sha256: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'text', default: 'uploading' })
  status: string;

  @Column({ name: 'storage_driver', type: 'text' })
  storageDriver: string;

  @Column({ name: 'computed_sha256', type: 'text', nullable: true })
  computedSha256: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('uploaded_at', { nullable: true })
  uploadedAt: Date | null;

  /**
   * When the latest checksum verification run claimed the row; it then hashes the file with no
   * transaction open (verification/deliverable-verification.ts).
   */
  @Timestamp('verify_started_at', { nullable: true })
  verifyStartedAt: Date | null;

  /** Verification runs that claimed the row: more than one means a run died or was repeated. */
  @Column({ name: 'verify_attempts', type: 'int', default: 0 })
  verifyAttempts: number;

  @Timestamp('verified_at', { nullable: true })
  verifiedAt: Date | null;
}
