import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../shared/database/columns';

/** In-app notification: one per (event, user), so a handler that runs twice adds nothing. */
@Entity('notifications')
@Index('notifications_event_user_key', ['eventId', 'userId'], { unique: true })
@Index('notifications_user_created_idx', ['userId', 'createdAt', 'id'])
export class Notification {
  @UuidPk('notifications')
  id: string;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'notifications_user_fk' })
  private readonly user?: unknown;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  data: unknown;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('read_at', { nullable: true })
  readAt: Date | null;
}

/** An e-mail to send; one per (event, user). Sent by the mail job, stamped sent_at. */
@Entity('outgoing_mail')
@Index('outgoing_mail_event_user_key', ['eventId', 'userId'], { unique: true })
export class OutgoingMail {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'outgoing_mail_pkey' })
  id: string;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'outgoing_mail_user_fk' })
  private readonly user?: unknown;

  @Column({ name: 'to_address', type: 'text' })
  toAddress: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'text_body', type: 'text' })
  textBody: string;

  @Column({ name: 'html_body', type: 'text' })
  htmlBody: string;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('sent_at', { nullable: true })
  sentAt: Date | null;
}
