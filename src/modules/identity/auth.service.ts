import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import type { AccessClaims, AuthUser } from '../../shared/auth/auth-user';
import type { LoginResponseDto, MeDto, TokenPairDto, UserDto } from './dto/auth-responses.dto';
import type { UpdateMeDto } from './dto/login.dto';
import { IdentityErrors } from './identity.errors';
import { LoginAttemptsService, type AttackNotice } from './login-attempts.service';
import { burnPasswordCheck, verifyPassword } from './passwords';
import type { OrganisationKind, Role } from '../../shared/auth/roles';

/** A user with what goes into tokens and /me. */
export interface CredentialUser {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
}

interface Settings {
  language: string | null;
  email_notifications: boolean;
  email_muted_types: string[];
}

interface UserRow {
  id: string;
  email: string;
  full_name: string;
  role: Role;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
  password_hash: string;
  disabled_at: Date | null;
}

const USER_SELECT = `SELECT u.id, u.email, u.full_name, u.role, u.organisation_id, u.password_hash, u.disabled_at,
       o.name AS organisation_name, o.kind AS organisation_kind
  FROM users u JOIN organisations o ON o.id = u.organisation_id`;

const toCredentialUser = (r: UserRow): CredentialUser => ({
  id: r.id,
  email: r.email,
  fullName: r.full_name,
  role: r.role,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  organisationKind: r.organisation_kind,
});

export const toUserDto = (u: CredentialUser): UserDto => ({
  id: u.id,
  email: u.email,
  fullName: u.fullName,
  role: u.role,
  organisation: { id: u.organisationId, name: u.organisationName, kind: u.organisationKind },
});

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly attempts: LoginAttemptsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Unknown e-mail, wrong password and disabled account answer alike, in about the same time.
   * The failed-login limit of (account, client address) is checked before the password, and
   * counts wrong passwords and unknown e-mails alike.
   */
  async checkCredentials(email: string, password: string, ip: string): Promise<CredentialUser> {
    const attempt = await this.attempts.begin(email, ip);
    let row: UserRow | undefined;
    let ok: boolean;
    try {
      [row] = await this.ds.query<UserRow[]>(`${USER_SELECT} WHERE u.email = $1`, [email.toLowerCase()]);
      ok = row ? await verifyPassword(row.password_hash, password) : await burnPasswordCheck(password);
    } catch (err) {
      await attempt.abandon();
      throw err;
    }
    if (!row || !ok) {
      const notice = await attempt.failed();
      if (notice) await this.reportLoginAttack(row?.id ?? null, notice);
      throw new DomainError(IdentityErrors.INVALID_CREDENTIALS);
    }
    if (row.disabled_at) {
      await attempt.abandon();
      throw new DomainError(IdentityErrors.INVALID_CREDENTIALS);
    }
    await attempt.succeeded();
    return toCredentialUser(row);
  }

  /**
   * The account's failed logins reached the ceiling: its owner is told (once per window), by
   * e-mail through the outbox. An unknown e-mail has nobody to tell.
   */
  private async reportLoginAttack(userId: string | null, notice: AttackNotice): Promise<void> {
    if (!userId) return;
    try {
      await this.ds.transaction((em) =>
        this.outbox.emit(em, 'account.login_attack', {
          recipients: { accountHolder: userId },
          data: {
            failures: notice.failures,
            addresses: notice.addresses,
            windowMinutes: notice.windowMinutes,
          },
        }),
      );
    } catch (err) {
      await notice.release();
      throw err;
    }
  }

  async login(user: CredentialUser): Promise<LoginResponseDto> {
    const tokens = await this.ds.transaction((em) => this.startSession(em, user));
    return { ...tokens, user: toUserDto(user) };
  }

  /** Opens a refresh-token family and issues its first pair, inside the caller's transaction. */
  async startSession(em: EntityManager, user: CredentialUser): Promise<TokenPairDto> {
    const [session] = await em.query<{ id: string }[]>(
      'INSERT INTO auth_sessions (user_id) VALUES ($1) RETURNING id',
      [user.id],
    );
    await this.audit.record(em, {
      actorId: user.id,
      organisationId: user.organisationId,
      action: 'session.started',
      entityType: 'user',
      entityId: user.id,
    });
    return this.issuePair(em, user, session!.id);
  }

  /**
   * Rotates a refresh token. Presenting a token that was already rotated means it was copied:
   * the whole family is revoked (RFC 9700 §4.14), and the revocation is committed before the 401.
   * Concurrent uses of one token are serialised by the row lock: the first wins, the rest are
   * reuse.
   */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const result = await this.ds.transaction(async (em) => {
      const [row] = await em.query<
        {
          id: string;
          session_id: string;
          used_at: Date | null;
          live: boolean;
          revoked_at: Date | null;
          user_id: string;
          organisation_id: string;
        }[]
      >(
        `SELECT t.id, t.session_id, t.used_at, t.expires_at > now() AS live, s.revoked_at, s.user_id,
                u.organisation_id
           FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
        [sha256(refreshToken)],
      );
      if (!row || row.revoked_at || !row.live) return null;
      if (row.used_at) {
        await this.revokeSession(
          em,
          row.session_id,
          'refresh token reused',
          row.user_id,
          row.organisation_id,
        );
        return null;
      }
      const [user] = await em.query<UserRow[]>(`${USER_SELECT} WHERE u.id = $1`, [row.user_id]);
      if (!user || user.disabled_at) return null;
      await em.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.id]);
      return this.issuePair(em, toCredentialUser(user), row.session_id);
    });
    if (!result) throw new DomainError(IdentityErrors.INVALID_REFRESH_TOKEN);
    return result;
  }

  async logout(user: AuthUser): Promise<void> {
    await this.ds.transaction((em) =>
      this.revokeSession(em, user.sessionId, 'logout', user.id, user.organisationId),
    );
  }

  async me(userId: string): Promise<MeDto> {
    const [row] = await this.ds.query<(UserRow & Settings)[]>(
      `${USER_SELECT.replace('SELECT ', 'SELECT u.language, u.email_notifications, u.email_muted_types, ')}
        WHERE u.id = $1 AND u.disabled_at IS NULL`,
      [userId],
    );
    // Access tokens are not looked up per request; a disabled user's token still verifies until
    // it expires (≤ 15 min), but it no longer reads the account.
    if (!row) throw new DomainError(CommonErrors.UNAUTHENTICATED, 'This account is disabled');
    return {
      ...toUserDto(toCredentialUser(row)),
      language: row.language,
      emailNotifications: row.email_notifications,
      emailMutedTypes: row.email_muted_types,
    };
  }

  /** The caller's own notification settings. */
  async updateMe(user: AuthUser, dto: UpdateMeDto): Promise<MeDto> {
    await this.ds.transaction(async (em) => {
      const [[before]] = await em.query<[Settings[], number]>(
        `UPDATE users SET language = CASE WHEN $2::boolean THEN $3 ELSE language END,
                          email_notifications = coalesce($4, email_notifications),
                          email_muted_types = coalesce($5::text[], email_muted_types)
          WHERE id = $1 RETURNING language, email_notifications, email_muted_types`,
        [
          user.id,
          dto.language !== undefined,
          dto.language ?? null,
          dto.emailNotifications ?? null,
          dto.emailMutedTypes ?? null,
        ],
      );
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'user.settings_updated',
        entityType: 'user',
        entityId: user.id,
        after: before,
      });
    });
    return this.me(user.id);
  }

  private async revokeSession(
    em: EntityManager,
    sessionId: string,
    reason: string,
    userId: string,
    organisationId: string,
  ): Promise<void> {
    const revoked = await em.query<[unknown[], number]>(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2
        WHERE id = $1 AND revoked_at IS NULL RETURNING user_id`,
      [sessionId, reason],
    );
    if (revoked[1] > 0) {
      await this.audit.record(em, {
        actorId: userId,
        organisationId,
        action: 'session.revoked',
        entityType: 'user',
        entityId: userId,
        after: { reason },
      });
    }
  }

  private async issuePair(em: EntityManager, user: CredentialUser, sessionId: string): Promise<TokenPairDto> {
    const refreshToken = randomBytes(32).toString('base64url');
    await em.query(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [sessionId, sha256(refreshToken), this.config.refreshTokenTtlSeconds],
    );
    const claims: AccessClaims = {
      sub: user.id,
      org: user.organisationId,
      kind: user.organisationKind,
      role: user.role,
      sid: sessionId,
      typ: 'access',
    };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, refreshToken, expiresIn: this.config.accessTokenTtlSeconds };
  }
}
