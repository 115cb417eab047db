import { DomainError } from './errors/domain-error';
import type { Lifecycle } from './lifecycle';

/**
 * The table-driven spec of a lifecycle: every from × to pair, allowed exactly when `allowed`
 * lists it, and refused with `code` otherwise. Written out here, not derived from the table
 * under test, so a changed table fails its spec.
 */
export function describeLifecycle<S extends string>(
  name: string,
  lifecycle: Lifecycle<S>,
  allowed: ReadonlyArray<readonly [S, S]>,
  code: string,
): void {
  describe(`${name} transitions`, () => {
    const pairs = lifecycle.statuses.flatMap((from) => lifecycle.statuses.map((to) => [from, to] as const));
    it.each(pairs)('%s → %s is allowed only if listed', (from, to) => {
      const ok = allowed.some(([f, t]) => f === from && t === to);
      expect(lifecycle.can(from, to)).toBe(ok);
      let refused: string | undefined;
      try {
        lifecycle.assert(from, to);
      } catch (err) {
        if (err instanceof DomainError) refused = err.def.code;
      }
      expect(refused).toBe(ok ? undefined : code);
      expect(lifecycle.from(to).includes(from)).toBe(ok);
    });
  });
}
