import { DomainError, defineErrors } from './domain-error';

export const CommonErrors = defineErrors({
  VALIDATION_FAILED: [400, 'The request is invalid'],
  MALFORMED_REQUEST: [400, 'The request body could not be read'],
  INVALID_CURSOR: [400, 'The pagination cursor is invalid'],
  UNAUTHENTICATED: [401, 'Authentication is required'],
  FORBIDDEN: [403, 'You are not allowed to do this'],
  NOT_FOUND: [404, 'Not found'],
  CONFLICT: [409, 'The request conflicts with the current state'],
  PAYLOAD_TOO_LARGE: [413, 'The request is too large'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Unsupported content type'],
  RATE_LIMITED: [429, 'Too many requests'],
  INTERNAL: [500, 'Internal server error'],
  SERVICE_UNAVAILABLE: [503, 'Service unavailable'],
});

/** The answer for objects that do not exist and for objects the caller may not see alike. */
export function notFound(what = 'Not found'): DomainError {
  return new DomainError(CommonErrors.NOT_FOUND, what);
}

/**
 * Whether `err` is the NOT_FOUND domain error: the only error a caller may turn into another
 * answer. A lost connection or a bug is never "not found".
 */
export function isNotFound(err: unknown): err is DomainError {
  return err instanceof DomainError && err.def.code === CommonErrors.NOT_FOUND.code;
}
