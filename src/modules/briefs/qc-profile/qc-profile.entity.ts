import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, UuidPk } from '../../../shared/database/columns';

/**
 * One version of a brief's technical QC profile. Versions are never changed: editing the
 * profile (while the brief is a draft) adds a version, and a QC report names the version it
 * was measured against. `default` versions are derived from the brief's deliverySpec and
 * episode length, and follow them until the commissioner edits the profile.
 */
@Entity('brief_qc_profiles')
@Index('brief_qc_profiles_brief_version_key', ['briefId', 'version'], { unique: true })
@Check('brief_qc_profiles_source_check', `source IN ('default', 'commissioner')`)
export class BriefQcProfile {
  @UuidPk('brief_qc_profiles')
  id: string;

  @Column({ name: 'brief_id', type: 'uuid' })
  briefId: string;

  @ManyToOne('Brief', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'brief_qc_profiles_brief_fk' })
  private readonly brief?: unknown;

  @Column({ type: 'int' })
  version: number;

  /** `[{ id, severity, params }]` (qc-items.ts). */
  @Column({ type: 'jsonb' })
  items: unknown;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'brief_qc_profiles_created_by_fk' })
  private readonly creator?: unknown;

  @CreatedAt()
  createdAt: Date;
}
