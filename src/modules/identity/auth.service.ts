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
import {
  AuthUserReadModel,
  toCredentialUser,
  type AuthUserRow,
  type CredentialUser,
} from './auth-user.read-model';
import { SessionsRepository } from './repositories/sessions.repository';
import { UsersRepository } from './repositories/users.repository';

export type { CredentialUser } from './auth-user.read-model';

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
    private readonly authUsers: AuthUserReadModel,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Unknown e-mail, wrong password and disabled account answer alike, in about the same time.
   * The failed-login limit of (account, client address) is checked before the password, and
   * counts wrong passwords and unknown e-mails alike.
   */
  async checkCredentials(email: string, password: string, ip: string): Promise<CredentialUser> {
    const attempt = await this.attempts.begin(email, ip);
    let row: AuthUserRow | undefined;
    let ok: boolean;
    try {
      row = await this.authUsers.byEmail(this.ds.manager, email.toLowerCase());
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
    const sessionId = await this.sessions.insertSession(em, user.id);
    await this.audit.record(em, {
      actorId: user.id,
      organisationId: user.organisationId,
      action: 'session.started',
      entityType: 'user',
      entityId: user.id,
    });
    return this.issuePair(em, user, sessionId);
  }

  /**
   * Rotates a refresh token. Presenting a token that was already rotated means it was copied:
   * the whole family is revoked (RFC 9700 §4.14), and the revocation is committed before the 401.
   * Concurrent uses of one token are serialised by the row lock: the first wins, the rest are
   * reuse.
   */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const result = await this.ds.transaction(async (em) => {
      const row = await this.sessions.lockRefreshToken(em, sha256(refreshToken));
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
      const user = await this.authUsers.byId(em, row.user_id);
      if (!user || user.disabled_at) return null;
      await this.sessions.markTokenUsed(em, row.id);
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
    const row = await this.authUsers.enabledWithSettings(this.ds.manager, userId);
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
      const settings = await this.users.updateSettings(em, user.id, {
        language: dto.language,
        emailNotifications: dto.emailNotifications,
        emailMutedTypes: dto.emailMutedTypes,
      });
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'user.settings_updated',
        entityType: 'user',
        entityId: user.id,
        after: settings,
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
    const revoked = await this.sessions.revokeSession(em, sessionId, reason);
    if (revoked) {
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
    await this.sessions.insertRefreshToken(
      em,
      sessionId,
      sha256(refreshToken),
      this.config.refreshTokenTtlSeconds,
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
