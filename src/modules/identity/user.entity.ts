import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../shared/database/columns';
import type { Role } from '../../shared/auth/roles';

@Entity('users')
@Index('users_email_key', ['email'], { unique: true })
@Index('users_organisation_idx', ['organisationId'])
@Check('users_role_check', `role IN ('admin', 'commissioner', 'finance', 'producer', 'operator')`)
@Check('users_language_check', `language IS NULL OR language IN ('kk', 'ru', 'en')`)
export class User {
  @UuidPk('users')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  // By entity name, not class: identity sits below organisations and must not import it.
  @ManyToOne('Organisation', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'users_organisation_fk' })
  private readonly organisation?: unknown;

  /** Stored lower-cased, so the unique index is case-insensitive. */
  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text', nullable: true })
  language: string | null;

  @Column({ name: 'email_notifications', type: 'boolean', default: true })
  emailNotifications: boolean;

  /** Notification types this user gets in-app only, without e-mail. */
  @Column({ name: 'email_muted_types', type: 'text', array: true, default: () => `'{}'` })
  emailMutedTypes: string[];

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Timestamp('disabled_at', { nullable: true })
  disabledAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}
