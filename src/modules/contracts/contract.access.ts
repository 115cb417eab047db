import type { EntityManager } from 'typeorm';
import type { ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import type { Role } from '../../shared/auth/roles';
import type { ContractRow } from './repositories/contracts.repository';

export type ContractParty = 'broadcaster' | 'studio';

/** Who signs for each party (and reviews, submits for it): the signing policies' roles. */
export const SIGNERS = {
  broadcaster: Policy.SignForBroadcaster.roles,
  studio: Policy.SignForStudio.roles,
} as const satisfies Record<ContractParty, readonly Role[]>;

/** The party the caller's organisation is on the contract, if any. */
export function partyOf(
  user: AuthUser,
  row: Pick<ContractRow, 'broadcaster_id' | 'studio_id'>,
): ContractParty | undefined {
  if (user.organisationId === row.broadcaster_id) return 'broadcaster';
  if (user.organisationId === row.studio_id) return 'studio';
  return undefined;
}

/** A member of `party`'s organisation with one of its signer roles. */
export function isSignerFor(
  user: AuthUser,
  row: Pick<ContractRow, 'broadcaster_id' | 'studio_id'>,
  party: ContractParty,
): boolean {
  const org = party === 'broadcaster' ? row.broadcaster_id : row.studio_id;
  return user.organisationId === org && SIGNERS[party].includes(user.role);
}

/**
 * - `read`: whoever sees it (the parties' members, the operator);
 * - `sign`: a signer of the caller's own party;
 * - `manage` (the draft's schedule, termination): a signer of the broadcaster.
 */
export type ContractAction = 'read' | 'sign' | 'manage';

/** How a contract is reached; `load` is the contracts service's (row with its terms). */
export function contractAccess<R extends { row: ContractRow }>(
  load: (em: EntityManager, user: AuthUser, id: string, lock: boolean) => Promise<R | undefined>,
): ResourceAccess<R, ContractAction> {
  return {
    noun: 'Contract',
    load,
    actions: {
      read: () => true,
      sign: (user, t) => {
        const party = partyOf(user, t.row);
        return party !== undefined && isSignerFor(user, t.row, party);
      },
      manage: (user, t) => isSignerFor(user, t.row, 'broadcaster'),
    },
  };
}
