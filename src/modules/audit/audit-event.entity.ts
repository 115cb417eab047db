import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Timestamp } from '../../shared/database/columns';

// Appended through audit_append() (one INSERT, no lock). The sequencer (AuditSequencer) later
// sets leaf_index and leaf_hash once, the only UPDATE the triggers allow; they refuse any other
// UPDATE, DELETE and TRUNCATE (migrations AuditChain, AuditMerkle).
@Entity('audit_events')
@Index('audit_events_entity_idx', ['entityType', 'entityId', 'seq'])
@Index('audit_events_organisation_idx', ['organisationId', 'seq'])
@Index('audit_events_leaf_index_key', ['leafIndex'], { unique: true })
@Index('audit_events_leaf_hash_idx', ['leafHash'])
@Index('audit_events_unsequenced_idx', ['at', 'seq'], { where: 'leaf_index IS NULL' })
export class AuditEvent {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_events_pkey' })
  seq: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  @Timestamp('at')
  at: Date;

  /**
   * The hash chain of the log before the Merkle tree (migration AuditChain): set on events
   * appended before AuditMerkle, in seq order under a global lock; NULL on later events. Kept
   * as it was written; no longer checked (the tree covers those events as its first leaves).
   */
  @Column({ name: 'prev_hash', type: 'text', nullable: true })
  prevHash: string | null;

  @Column({ type: 'text', nullable: true })
  hash: string | null;

  /** Position in the Merkle tree; NULL until the sequencer integrates the committed event. */
  @Column({ name: 'leaf_index', type: 'bigint', nullable: true })
  leafIndex: string | null;

  /** Hex SHA-256(0x00 ‖ canonical JSON of the event), set with leaf_index. */
  @Column({ name: 'leaf_hash', type: 'text', nullable: true })
  leafHash: string | null;
}
