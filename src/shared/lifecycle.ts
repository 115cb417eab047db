import { DomainError, type ErrorDef } from './errors/domain-error';

/**
 * A status column's allowed moves, and the pure checks over them. The owner of the table writes
 * the status only through `transition` (shared/database/transition.ts), which enforces them.
 */
export interface Lifecycle<S extends string> {
  readonly noun: string;
  readonly statuses: readonly S[];
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  /** The owner's state-conflict error: thrown for a move the table does not list. */
  readonly error: ErrorDef;
  can(from: S, to: S): boolean;
  /** The statuses that may move to `to` (the `status = ANY(…)` of an owner's transition). */
  from(to: S): S[];
  /** Throws `error` (the owner's state-conflict code) for a move the table does not list. */
  assert(from: S, to: S): void;
}

export function defineLifecycle<S extends string>(
  noun: string,
  statuses: readonly S[],
  transitions: Record<S, readonly S[]>,
  error: ErrorDef,
): Lifecycle<S> {
  const can = (from: S, to: S): boolean => transitions[from].includes(to);
  const predecessors = new Map<S, S[]>(statuses.map((to) => [to, statuses.filter((f) => can(f, to))]));
  return {
    noun,
    statuses,
    transitions,
    error,
    can,
    from: (to) => predecessors.get(to) ?? [],
    assert: (from, to) => {
      if (!can(from, to)) throw new DomainError(error, `A ${from} ${noun} cannot become ${to}`);
    },
  };
}
