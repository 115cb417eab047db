import { DomainError } from '../../shared/errors/domain-error';
import { assertContractTransition, canContractTransition, CONTRACT_STATUSES } from './contract-status';

const ALLOWED: ReadonlyArray<readonly [string, string]> = [
  ['draft', 'active'],
  ['draft', 'terminated'],
  ['active', 'completed'],
  ['active', 'terminated'],
];

describe('contract transitions', () => {
  const pairs = CONTRACT_STATUSES.flatMap((from) => CONTRACT_STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s is allowed only if listed', (from, to) => {
    const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canContractTransition(from, to)).toBe(allowed);
    let code: string | undefined;
    try {
      assertContractTransition(from, to);
    } catch (err) {
      if (err instanceof DomainError) code = err.def.code;
    }
    expect(code).toBe(allowed ? undefined : 'CONTRACT_STATE_CONFLICT');
  });
});
