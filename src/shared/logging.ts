import { QueryFailedError } from 'typeorm';

/** A request URL as it may be logged: the path only (a token in a query string stays out). */
export function loggableUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * What of an error may reach the log. A database error carries its SQL and bound parameters
 * (password hashes, e-mails, tokens) and the server's `detail` (the conflicting values): only
 * its SQLSTATE, constraint and message are kept. Other errors keep type, message, code and stack,
 * never `parameters`/`query` fields they may have copied.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (err instanceof QueryFailedError) {
    const driver = err.driverError as { code?: unknown; constraint?: unknown; message?: unknown };
    return {
      type: 'QueryFailedError',
      code: driver.code,
      constraint: driver.constraint,
      message: typeof driver.message === 'string' ? driver.message : err.message,
    };
  }
  if (err instanceof Error) {
    const { code } = err as { code?: unknown };
    return { type: err.name, message: err.message, code, stack: err.stack };
  }
  // Already shaped (the problem filter logs loggableError's result, and pino serializes it again).
  if (err !== null && typeof err === 'object') return err as Record<string, unknown>;
  return { type: typeof err, message: String(err) };
}
