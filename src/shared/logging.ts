import { QueryFailedError } from 'typeorm';

/** A request URL as it may be logged: the path only (a token in a query string stays out). */
export function loggableUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

// Fields of database errors that carry data: the SQL, its bound values (password hashes,
// e-mails, tokens), the server's `detail` (the conflicting values) and the driver error holding
// them all again.
const DATA_FIELDS = new Set(['query', 'parameters', 'driverError', 'detail', 'where']);

interface DbErrorFields {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  driverError?: { code?: unknown; constraint?: unknown; message?: unknown };
}

const dbError = (e: DbErrorFields, fallbackMessage?: string): Record<string, unknown> => ({
  type: 'QueryFailedError',
  code: e.driverError?.code ?? e.code,
  constraint: e.driverError?.constraint ?? e.constraint,
  message:
    typeof e.driverError?.message === 'string' ? e.driverError.message : (e.message ?? fallbackMessage),
});

/**
 * What of an error may reach the log. A database error keeps only its SQLSTATE, constraint and
 * message; other errors keep type, message, code and stack. It is also pino's `err` serializer,
 * where it may receive an error pino has already turned into a plain object.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (err instanceof QueryFailedError) return dbError(err as DbErrorFields, err.message);
  if (err instanceof Error) {
    const { code } = err as { code?: unknown };
    return { type: err.name, message: err.message, code, stack: err.stack };
  }
  if (err !== null && typeof err === 'object') {
    const fields = err as Record<string, unknown>;
    if (fields.type === 'QueryFailedError') return dbError(fields);
    return Object.fromEntries(Object.entries(fields).filter(([key]) => !DATA_FIELDS.has(key)));
  }
  return { type: typeof err, message: String(err) };
}
