import { DomainError } from '../../shared/errors/domain-error';
import { assertPayoutTransition, canPayoutTransition, PAYOUT_STATUSES } from './payout-status';

const ALLOWED: ReadonlyArray<readonly [string, string]> = [
  ['pending_approval', 'approved'],
  ['approved', 'paid'],
];

describe('payout transitions', () => {
  const pairs = PAYOUT_STATUSES.flatMap((from) => PAYOUT_STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s is allowed only if listed', (from, to) => {
    const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canPayoutTransition(from, to)).toBe(allowed);
    let code: string | undefined;
    try {
      assertPayoutTransition(from, to);
    } catch (err) {
      if (err instanceof DomainError) code = err.def.code;
    }
    expect(code).toBe(allowed ? undefined : 'PAYOUT_STATE_CONFLICT');
  });
});
