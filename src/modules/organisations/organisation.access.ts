import type { EntityManager } from 'typeorm';
import type { ResourceAccess } from '../../shared/auth/access';
import { Policy } from '../../shared/auth/policies';

export type OrganisationAction = 'read' | 'manage';

/** An organisation the caller may see (only its id is needed to decide). */
export interface VisibleOrganisation {
  id: string;
}

/**
 * How an organisation is reached: its members see it (no query needed), the operator sees any
 * that exists, nobody else sees it (404).
 * - `read`: whoever sees it;
 * - `manage` (profile, members): its admin. Only members and the operator see an organisation,
 *   and the operator is not an admin, so the admin policy means "an admin of this organisation".
 */
export function organisationAccess(
  exists: (em: EntityManager, id: string) => Promise<boolean>,
): ResourceAccess<VisibleOrganisation, OrganisationAction> {
  return {
    noun: 'Organisation',
    load: async (em, user, id) => {
      if (user.organisationId === id) return { id };
      if (Policy.Operator.allows(user) && (await exists(em, id))) return { id };
      return undefined;
    },
    actions: {
      read: Policy.AnyUser,
      manage: Policy.OrgAdmin,
    },
  };
}
