import type { EntityManager } from 'typeorm';
import { requireAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import type { OrganisationKind, Role } from '../../shared/auth/roles';
import { DomainError } from '../../shared/errors/domain-error';
import { contractAccess, SIGNERS, type ContractAction } from './contract.access';
import type { ContractRow } from './repositories/contracts.repository';

const row = { broadcaster_id: 'b-org', studio_id: 's-org' } as ContractRow;
const user = (organisationId: string, kind: OrganisationKind, role: Role): AuthUser => ({
  id: 'u',
  organisationId,
  organisationKind: kind,
  role,
  sessionId: 's',
});
// What the SQL lets through: the parties' members and the operator.
const access = contractAccess((_em, u) =>
  Promise.resolve(
    u.organisationId === row.broadcaster_id || u.organisationId === row.studio_id || u.role === 'operator'
      ? { row }
      : undefined,
  ),
);

async function answer(u: AuthUser, action: ContractAction): Promise<string> {
  try {
    await requireAccess(access, {} as EntityManager, u, 'c', action);
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.def.code;
    throw err;
  }
}

describe('contractAccess', () => {
  it('keeps the signer role lists', () => {
    expect(SIGNERS).toEqual({ broadcaster: ['commissioner', 'admin'], studio: ['admin', 'producer'] });
  });

  it.each([
    // who, action, answer
    [user('b-org', 'broadcaster', 'commissioner'), 'read', 'ok'],
    [user('b-org', 'broadcaster', 'finance'), 'read', 'ok'],
    [user('op-org', 'platform', 'operator'), 'read', 'ok'],
    [user('x-org', 'studio', 'admin'), 'read', 'NOT_FOUND'],
    [user('b-org', 'broadcaster', 'commissioner'), 'sign', 'ok'],
    [user('s-org', 'studio', 'producer'), 'sign', 'ok'],
    [user('s-org', 'studio', 'finance'), 'sign', 'FORBIDDEN'],
    [user('op-org', 'platform', 'operator'), 'sign', 'FORBIDDEN'],
    [user('x-org', 'studio', 'admin'), 'sign', 'NOT_FOUND'],
    [user('b-org', 'broadcaster', 'admin'), 'manage', 'ok'],
    [user('s-org', 'studio', 'admin'), 'manage', 'FORBIDDEN'],
    [user('op-org', 'platform', 'operator'), 'manage', 'FORBIDDEN'],
  ] as const)('%o %s → %s', async (u, action, expected) => {
    expect(await answer(u, action)).toBe(expected);
  });
});
