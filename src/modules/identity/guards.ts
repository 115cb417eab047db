import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { validationFailed, validationOptions } from '../../shared/http/validation';
import type { AuthUser } from '../../shared/auth/auth-user';
import { POLICY } from '../../shared/auth/decorators';
import type { AccessPolicy } from '../../shared/auth/policies';
import { LoginDto } from './dto/login.dto';
import { authenticate, PASSPORT, type Passport } from './passport';

function policyOf(reflector: Reflector, context: ExecutionContext): AccessPolicy | undefined {
  return reflector.getAllAndOverride<AccessPolicy | undefined>(POLICY, [
    context.getHandler(),
    context.getClass(),
  ]);
}

/**
 * Global: every route needs a valid access token (passport-jwt) unless its policy is
 * Policy.Public. A route without a policy is authenticated too (deny by default); the route
 * table test fails on such a route.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PASSPORT) private readonly passport: Passport,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (policyOf(this.reflector, context)?.isPublic) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<{ user?: unknown }>();
    const user = await authenticate(this.passport, 'jwt', req, http.getResponse()).catch(() => false);
    if (!user) throw new DomainError(CommonErrors.UNAUTHENTICATED, 'A valid access token is required');
    req.user = user;
    return true;
  }
}

/** Global, after JwtAuthGuard: enforces the route's @Allow(Policy.X) (kinds + roles); 403 when it fails. */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = policyOf(this.reflector, context);
    if (!policy || policy.isPublic) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (policy.allows(user)) return true;
    throw new DomainError(CommonErrors.FORBIDDEN, policy.deniedMessage);
  }
}

/**
 * passport-local on /auth/login. Guards run before pipes, so the body is validated here first:
 * a malformed body is a 400, not a failed login.
 */
@Injectable()
export class LocalAuthGuard implements CanActivate {
  constructor(@Inject(PASSPORT) private readonly passport: Passport) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<{ body?: unknown; user?: unknown }>();
    const errors = await validate(plainToInstance(LoginDto, req.body ?? {}) as object, validationOptions);
    if (errors.length) throw validationFailed(errors);
    // LocalStrategy.validate throws INVALID_CREDENTIALS itself; passport passes it on.
    const user = await authenticate(this.passport, 'local', req, http.getResponse());
    if (!user) throw new DomainError(CommonErrors.VALIDATION_FAILED, 'email and password are required');
    req.user = user;
    return true;
  }
}
