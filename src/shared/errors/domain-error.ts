export interface ErrorDef {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  /** Database constraints whose violation answers with this error (see src/error-registry.ts). */
  readonly constraints?: readonly string[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** Options of one declared code: `constraints` names the database constraints that raise it. */
export interface ErrorOptions {
  readonly constraints: readonly string[];
}

type ErrorSpec = readonly [number, string] | readonly [number, string, ErrorOptions];

/**
 * Declares a module's error codes: `{ BID_WINDOW_CLOSED: [409, 'The bid window is closed'] }`.
 * A code raised by a database constraint names it: `BID_EXISTS: [409, '…', { constraints:
 * ['bids_brief_studio_key'] }]`; src/error-registry.ts collects these into one map.
 */
export function defineErrors<K extends string>(defs: Record<K, ErrorSpec>): Record<K, ErrorDef> {
  const out = {} as Record<K, ErrorDef>;
  for (const code of Object.keys(defs) as K[]) {
    const [status, title, options] = defs[code];
    out[code] = options ? { code, status, title, constraints: options.constraints } : { code, status, title };
  }
  return out;
}

/**
 * Builds the constraint → error map from groups of declared errors. Fails when one constraint is
 * declared twice (two answers for one violation would depend on import order).
 */
export function constraintMap(groups: Iterable<Record<string, ErrorDef>>): ReadonlyMap<string, ErrorDef> {
  const map = new Map<string, ErrorDef>();
  for (const group of groups) {
    for (const def of Object.values(group)) {
      for (const constraint of def.constraints ?? []) {
        const taken = map.get(constraint);
        if (taken)
          throw new Error(`Constraint ${constraint} is declared twice (by ${taken.code} and ${def.code})`);
        map.set(constraint, def);
      }
    }
  }
  return map;
}

/**
 * What a DomainError carries beyond its code: field errors, a Retry-After, and `fields`, further
 * members of the problem body that tell the client what it needs next (IDEA_CONVERTED: `briefId`).
 */
export interface DomainErrorExtra {
  errors?: FieldError[];
  retryAfterSeconds?: number;
  fields?: Record<string, unknown>;
}

/** What services throw. The problem filter turns it into problem+json; nothing else sets HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly def: ErrorDef,
    readonly detail?: string,
    readonly extra: DomainErrorExtra = {},
  ) {
    super(detail ?? def.title);
    this.name = 'DomainError';
  }
}
