import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { validationFailed, validationOptions } from '../../shared/http/validation';
import type { AuthUser } from '../../shared/auth/auth-user';
import { IS_PUBLIC, ROLES } from '../../shared/auth/decorators';
import { LoginDto } from './dto/login.dto';
import { authenticate, PASSPORT, type Passport } from './passport';
import type { Role } from '../../shared/auth/roles';

/** Global: every route needs a valid access token (passport-jwt) unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PASSPORT) private readonly passport: Passport,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<{ user?: unknown }>();
    const user = await authenticate(this.passport, 'jwt', req, http.getResponse()).catch(() => false);
    if (!user) throw new DomainError(CommonErrors.UNAUTHENTICATED, 'A valid access token is required');
    req.user = user;
    return true;
  }
}

/** Global: enforces @Roles(...) where a route declares them. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user && roles.includes(user.role)) return true;
    throw new DomainError(CommonErrors.FORBIDDEN, `This needs one of the roles: ${roles.join(', ')}`);
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
