import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './auth-user';
import type { AccessPolicy } from './policies';

export const POLICY = 'efir:policy';

/**
 * The access policy of a route (or of every route of a controller); the global PolicyGuard
 * enforces it and a test fails on a route without one. `@Allow(Policy.Public)` is the only way
 * out of authentication.
 */
export const Allow = (policy: AccessPolicy): MethodDecorator & ClassDecorator => SetMetadata(POLICY, policy);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
