import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';

/**
 * Rate limit for the credential endpoints, per client IP and per account (the e-mail in the
 * body), with the throttlers `ip` and `account` configured in IdentityModule. The counters live
 * in memory, not in Redis, so a Redis outage never turns into refused logins. The IP is the
 * socket address: X-Forwarded-For is not trusted.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new DomainError(CommonErrors.RATE_LIMITED, 'Too many attempts; try again later', {
      retryAfterSeconds: detail.timeToBlockExpire,
    });
  }
}

/** The `account` throttler's key: the lower-cased e-mail of the body (or of the nested user). */
export function accountTracker(req: Record<string, unknown>): string {
  const body = (req.body ?? {}) as { email?: unknown; user?: { email?: unknown } };
  const email = typeof body.email === 'string' ? body.email : body.user?.email;
  return typeof email === 'string' ? `account:${email.trim().toLowerCase()}` : 'account:none';
}
