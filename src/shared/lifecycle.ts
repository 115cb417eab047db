import { DomainError, type ErrorDef } from './errors/domain-error';

/** A status column's allowed moves (architecture.md rule 9), and the pure checks over them. */
export interface Lifecycle<S extends string> {
  readonly statuses: readonly S[];
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  can(from: S, to: S): boolean;
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
  return {
    statuses,
    transitions,
    can,
    assert: (from, to) => {
      if (!can(from, to)) throw new DomainError(error, `A ${from} ${noun} cannot become ${to}`);
    },
  };
}
