import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrganisationKind, Role } from '../../shared/auth/roles';

// A read model, because login, refresh and /me need the user's organisation name and kind in the
// same read as the user: `organisations` belongs to the organisations module, which sits above
// identity in the import order (identity cannot call it), so this file reads it directly. It
// never writes another module's table (table-owners.spec.ts checks that).

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

export interface UserSettingsRow {
  language: string | null;
  email_notifications: boolean;
  email_muted_types: string[];
}

export interface AuthUserRow {
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

const AUTH_USER_COLUMNS = `u.id, u.email, u.full_name, u.role, u.organisation_id, u.password_hash, u.disabled_at,
       o.name AS organisation_name, o.kind AS organisation_kind`;

const SETTINGS_COLUMNS = 'u.language, u.email_notifications, u.email_muted_types';

const USER_WITH_ORGANISATION = 'FROM users u JOIN organisations o ON o.id = u.organisation_id';

export const toCredentialUser = (r: AuthUserRow): CredentialUser => ({
  id: r.id,
  email: r.email,
  fullName: r.full_name,
  role: r.role,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  organisationKind: r.organisation_kind,
});

@Injectable()
export class AuthUserReadModel {
  /** The user (enabled or not) with this e-mail, already lower-cased by the caller. */
  async byEmail(em: EntityManager, email: string): Promise<AuthUserRow | undefined> {
    const [row] = await em.query<AuthUserRow[]>(
      `SELECT ${AUTH_USER_COLUMNS}
  ${USER_WITH_ORGANISATION} WHERE u.email = $1`,
      [email],
    );
    return row;
  }

  async byId(em: EntityManager, id: string): Promise<AuthUserRow | undefined> {
    const [row] = await em.query<AuthUserRow[]>(
      `SELECT ${AUTH_USER_COLUMNS}
  ${USER_WITH_ORGANISATION} WHERE u.id = $1`,
      [id],
    );
    return row;
  }

  /** An enabled user with their notification settings (/me). */
  async enabledWithSettings(
    em: EntityManager,
    id: string,
  ): Promise<(AuthUserRow & UserSettingsRow) | undefined> {
    const [row] = await em.query<(AuthUserRow & UserSettingsRow)[]>(
      `SELECT ${SETTINGS_COLUMNS}, ${AUTH_USER_COLUMNS}
  ${USER_WITH_ORGANISATION}
        WHERE u.id = $1 AND u.disabled_at IS NULL`,
      [id],
    );
    return row;
  }
}
