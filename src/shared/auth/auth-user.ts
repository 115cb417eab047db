import type { OrganisationKind, Role } from './roles';

/** The authenticated caller, from the access token. */
export interface AuthUser {
  id: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  role: Role;
  sessionId: string;
}

/** Access-token claims. */
export interface AccessClaims {
  sub: string;
  org: string;
  kind: OrganisationKind;
  role: Role;
  sid: string;
  typ: 'access';
}
