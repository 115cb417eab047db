import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Timestamp } from '../../shared/database/columns';

// Appended only through the audit_append() function (migration AuditChain), which takes the
// chain lock, reads the head and inserts in one round trip. Triggers refuse UPDATE, DELETE and
// TRUNCATE.
@Entity('audit_events')
@Index('audit_events_entity_idx', ['entityType', 'entityId', 'seq'])
@Index('audit_events_organisation_idx', ['organisationId', 'seq'])
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

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;
}
