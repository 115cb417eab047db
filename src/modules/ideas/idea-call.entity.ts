import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../shared/database/columns';
import type { IdeaCallStatus } from './idea-call-status';

// A broadcaster's call for ideas. An open call is `closed` from the instant closes_at passes
// (computed in SQL by the database clock, idea-call-status.ts); no job records it.
@Entity('idea_calls')
@Check('idea_calls_status_check', `status IN ('draft', 'open', 'closed', 'cancelled')`)
// The broadcaster's list: its own calls, newest first.
@Index('idea_calls_broadcaster_created_idx', ['broadcasterId', 'createdAt', 'id'])
// The public list: open calls, newest first (the deadline filters on top of it).
@Index('idea_calls_open_created_idx', ['createdAt', 'id'], { where: `status = 'open'` })
export class IdeaCall {
  @UuidPk('idea_calls')
  id: string;

  @Column({ name: 'broadcaster_id', type: 'uuid' })
  broadcasterId: string;

  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'broadcaster_id', foreignKeyConstraintName: 'idea_calls_broadcaster_fk' })
  private readonly broadcaster?: unknown;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ type: 'text', default: 'draft' })
  status: IdeaCallStatus;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  genres: string[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  languages: string[];

  @Timestamp('closes_at')
  closesAt: Date;

  @Column({ name: 'voting_enabled', type: 'boolean', default: false })
  votingEnabled: boolean;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @Timestamp('opened_at', { nullable: true })
  openedAt: Date | null;

  @Timestamp('cancelled_at', { nullable: true })
  cancelledAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}
