export const ORGANISATION_KINDS = ['broadcaster', 'studio', 'platform'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ROLES = ['admin', 'commissioner', 'finance', 'producer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Which roles a member of each kind of organisation may hold. */
export const ROLES_BY_KIND: Record<OrganisationKind, readonly Role[]> = {
  broadcaster: ['admin', 'commissioner', 'finance'],
  studio: ['admin', 'producer', 'finance'],
  platform: ['operator'],
};

export function roleAllowedFor(kind: OrganisationKind, role: Role): boolean {
  return ROLES_BY_KIND[kind].includes(role);
}
