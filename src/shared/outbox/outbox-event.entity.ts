import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, Timestamp } from '../database/columns';

// Written in the same transaction as the change it announces. The relay stamps published_at
// when the job is in Redis; a handler stamps handled_at in the transaction that records its
// effects. Rows published long ago but never handled are re-published by the sweeper.
@Entity('outbox')
@Index('outbox_due_idx', ['availableAt', 'id'], { where: 'published_at IS NULL' })
@Index('outbox_unhandled_idx', ['publishedAt'], { where: 'handled_at IS NULL AND published_at IS NOT NULL' })
export class OutboxEvent {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'outbox_pkey' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('available_at', { default: () => 'now()' })
  availableAt: Date;

  @Timestamp('published_at', { nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'publish_count', type: 'int', default: 0 })
  publishCount: number;

  @Timestamp('handled_at', { nullable: true })
  handledAt: Date | null;
}
