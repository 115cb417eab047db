import { SetMetadata } from '@nestjs/common';
import type { ErrorDef } from '../errors/domain-error';

export const API_ERRORS = 'efir:api-errors';

/**
 * The specific error codes a route can answer (beyond the generic 400/401/403/404/429 that
 * src/openapi.ts adds from the route's shape and policy); each is documented under its status as
 * problem+json and listed in the operation's `x-error-codes`.
 */
export const ApiErrors = (...errors: ErrorDef[]): MethodDecorator => SetMetadata(API_ERRORS, errors);
