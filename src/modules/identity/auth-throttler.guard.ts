import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';

/**
 * Rate limit of login and registration per client address (the throttler `ip`, configured in
 * IdentityModule; IPv6 by /64). The address is req.ip: the socket address, or the client behind
 * the proxies TRUST_PROXY names. The counters live in memory, not in Redis, so a Redis outage
 * never turns into refused logins. Failed logins per account are LoginAttemptsService's.
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
