import { DomainError } from '../../shared/errors/domain-error';
import {
  assertDeliverableTransition,
  canDeliverableTransition,
  DELIVERABLE_STATUSES,
} from './deliverable-status';

const ALLOWED: ReadonlyArray<readonly [string, string]> = [
  ['uploading', 'verifying'],
  ['verifying', 'ready'],
  ['verifying', 'rejected'],
];

describe('deliverable transitions', () => {
  const pairs = DELIVERABLE_STATUSES.flatMap((from) => DELIVERABLE_STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s is allowed only if listed', (from, to) => {
    const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canDeliverableTransition(from, to)).toBe(allowed);
    let code: string | undefined;
    try {
      assertDeliverableTransition(from, to);
    } catch (err) {
      if (err instanceof DomainError) code = err.def.code;
    }
    expect(code).toBe(allowed ? undefined : 'DELIVERABLE_NOT_READY');
  });
});
