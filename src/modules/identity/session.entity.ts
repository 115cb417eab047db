import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../shared/database/columns';
import { User } from './user.entity';

/** A refresh-token family: one login. Reusing a rotated token revokes the whole family. */
@Entity('auth_sessions')
@Index('auth_sessions_user_idx', ['userId'])
export class AuthSession {
  @UuidPk('auth_sessions')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'auth_sessions_user_fk' })
  private readonly user?: User;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('revoked_at', { nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason: string | null;
}

@Entity('refresh_tokens')
@Index('refresh_tokens_hash_key', ['tokenHash'], { unique: true })
@Index('refresh_tokens_session_idx', ['sessionId'])
export class RefreshToken {
  @UuidPk('refresh_tokens')
  id: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => AuthSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'refresh_tokens_session_fk' })
  private readonly session?: AuthSession;

  /** SHA-256 of the token: the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('expires_at')
  expiresAt: Date;

  @Timestamp('used_at', { nullable: true })
  usedAt: Date | null;
}
