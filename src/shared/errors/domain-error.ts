export interface ErrorDef {
  readonly code: string;
  readonly status: number;
  readonly title: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** Declares a module's error codes: `{ BID_WINDOW_CLOSED: [409, 'The bid window is closed'] }`. */
export function defineErrors<K extends string>(
  defs: Record<K, readonly [number, string]>,
): Record<K, ErrorDef> {
  const out = {} as Record<K, ErrorDef>;
  for (const code of Object.keys(defs) as K[]) {
    const [status, title] = defs[code];
    out[code] = { code, status, title };
  }
  return out;
}

/** What services throw. The problem filter turns it into problem+json; nothing else sets HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly def: ErrorDef,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail ?? def.title);
    this.name = 'DomainError';
  }
}
