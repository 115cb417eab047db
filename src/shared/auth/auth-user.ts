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

/** Claims of a verified access token: jsonwebtoken adds iat and exp when signing. */
export type VerifiedAccessClaims = AccessClaims & { iat: number; exp: number };

/**
 * Whether verified claims are an access token: typ `access` and an expiry. jsonwebtoken checks
 * `exp` only when present, so a token minted without one (with a leaked key) would never die;
 * the verifiers also set `maxAge`, which bounds `iat`.
 */
export function isAccessClaims(claims: unknown): claims is VerifiedAccessClaims {
  const c = claims as Partial<VerifiedAccessClaims> | null;
  return c?.typ === 'access' && typeof c.exp === 'number' && typeof c.iat === 'number';
}
