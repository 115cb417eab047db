import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { validationFailed, validationOptions } from '../../shared/http/validation';
import type { AuthUser } from '../../shared/auth/auth-user';
import { IS_PUBLIC, ROLES } from '../../shared/auth/decorators';
import { LoginDto } from './dto/login.dto';
import type { Role } from '../../shared/auth/roles';

/** Global: every route needs a valid access token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new DomainError(CommonErrors.UNAUTHENTICATED, 'A valid access token is required');
    return user;
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
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body ?? {};
    const dto = plainToInstance(LoginDto, body);
    const errors = await validate(dto as object, validationOptions);
    if (errors.length) throw validationFailed(errors);
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    // passport hands back what LocalStrategy.validate threw (an INVALID_CREDENTIALS DomainError).
    if (err instanceof Error) throw err;
    if (err || !user)
      throw new DomainError(CommonErrors.VALIDATION_FAILED, 'email and password are required');
    return user;
  }
}
