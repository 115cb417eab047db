import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../../../shared/auth/roles';
import { cursorTsSql, toPage, type Keyset, type Page } from '../../../shared/http/pagination';
import type { UserSettingsRow } from '../auth-user.read-model';

/** A member of an organisation, as its member list shows it. */
export interface UserSummary {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  createdAt: string;
}

export interface NewUser {
  email: string;
  fullName: string;
  role: Role;
  language?: string;
}

/** What operator bootstrap checks before it creates or resets the operator. */
export interface UserCredentialsRow {
  id: string;
  organisation_id: string;
  role: string;
  password_hash: string;
}

interface UserSummaryRow {
  id: string;
  email: string;
  full_name: string;
  role: Role;
  created_at: Date;
}

const toUserSummary = (r: UserSummaryRow): UserSummary => ({
  id: r.id,
  email: r.email,
  fullName: r.full_name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
});

export interface SettingsChange {
  language?: string | null;
  emailNotifications?: boolean;
  emailMutedTypes?: string[];
}

@Injectable()
export class UsersRepository {
  async insert(
    em: EntityManager,
    organisationId: string,
    u: NewUser,
    passwordHash: string,
  ): Promise<UserSummary> {
    const [row] = await em.query<UserSummaryRow[]>(
      `INSERT INTO users (organisation_id, email, full_name, role, language, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, email, full_name, role, created_at`,
      [organisationId, u.email.toLowerCase(), u.fullName, u.role, u.language ?? null, passwordHash],
    );
    return toUserSummary(row!);
  }

  /** The platform operator's account (one statement: no language, fixed name and role). */
  async insertOperator(
    em: EntityManager,
    organisationId: string,
    email: string,
    passwordHash: string,
  ): Promise<string> {
    const [user] = await em.query<{ id: string }[]>(
      `INSERT INTO users (organisation_id, email, full_name, role, password_hash)
         VALUES ($1, $2, 'Platform operator', 'operator', $3) RETURNING id`,
      [organisationId, email, passwordHash],
    );
    return user!.id;
  }

  async credentialsByEmail(em: EntityManager, email: string): Promise<UserCredentialsRow | undefined> {
    const [row] = await em.query<UserCredentialsRow[]>(
      'SELECT id, organisation_id, role, password_hash FROM users WHERE email = $1',
      [email],
    );
    return row;
  }

  /** Sets the password and re-enables the account. */
  async setPassword(em: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await em.query('UPDATE users SET password_hash = $2, disabled_at = NULL WHERE id = $1', [
      userId,
      passwordHash,
    ]);
  }

  /** Enabled members, newest first, keyset-paged on (created_at, id). */
  async listMembers(
    em: EntityManager,
    organisationId: string,
    after: Keyset | null,
    limit: number,
  ): Promise<Page<UserSummary>> {
    const rows = await em.query<(UserSummaryRow & { cursor_ts: string })[]>(
      `SELECT id, email, full_name, role, created_at, ${cursorTsSql('created_at')} AS cursor_ts
         FROM users
        WHERE organisation_id = $1 AND disabled_at IS NULL
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [organisationId, after?.ts ?? null, after?.id ?? null, limit + 1],
    );
    return toPage(rows, limit, toUserSummary);
  }

  /** Changes the given settings and answers them as they now are. */
  async updateSettings(
    em: EntityManager,
    userId: string,
    change: SettingsChange,
  ): Promise<UserSettingsRow | undefined> {
    const [[settings]] = await em.query<[UserSettingsRow[], number]>(
      `UPDATE users SET language = CASE WHEN $2::boolean THEN $3 ELSE language END,
                          email_notifications = coalesce($4, email_notifications),
                          email_muted_types = coalesce($5::text[], email_muted_types)
          WHERE id = $1 RETURNING language, email_notifications, email_muted_types`,
      [
        userId,
        change.language !== undefined,
        change.language ?? null,
        change.emailNotifications ?? null,
        change.emailMutedTypes ?? null,
      ],
    );
    return settings;
  }
}
