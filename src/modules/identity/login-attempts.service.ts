import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { LOGIN_ATTEMPT_STORE, type LoginAttemptStore } from './login-attempts.store';

/** An account's failures reached the ceiling: what its owner is told. */
export interface AttackNotice {
  failures: number;
  addresses: number;
  windowMinutes: number;
  /** The notice could not be sent: let a later failure of the window claim it again. */
  release: () => Promise<void>;
}

/** One login attempt, counted as a failure until its verdict says otherwise. */
export interface LoginAttempt {
  /** Wrong password or unknown account: the failure stays. The notice, if this one reached the ceiling. */
  failed(): Promise<AttackNotice | null>;
  /** Right password: this address starts over for the account. */
  succeeded(): Promise<void>;
  /** No verdict on the password (an error, a disabled account): the attempt is not a failure. */
  abandon(): Promise<void>;
}

/**
 * Failed logins per (account, address), so that nobody can lock an owner out from elsewhere:
 * an address that failed `perAccount` times for an account is refused for that account (the
 * right password too); past `accountCeiling` failures of the account from all addresses, every
 * address that has failed for it is refused, while addresses that have not still get through.
 * Successful logins are not counted. Unknown e-mails are counted like known ones, so the
 * answers do not tell which accounts exist.
 */
@Injectable()
export class LoginAttemptsService {
  private readonly limits: AppConfig['loginRateLimit'];

  constructor(
    @Inject(LOGIN_ATTEMPT_STORE) private readonly store: LoginAttemptStore,
    @InjectConfig() config: AppConfig,
  ) {
    this.limits = config.loginRateLimit;
  }

  /**
   * Call before the password is checked (argon2 is the expensive part). The attempt is counted
   * at once, so parallel guesses from one address cannot all pass the check; a refused attempt
   * (429 RATE_LIMITED with Retry-After) is taken back, being no guess.
   */
  async begin(email: string, ip: string): Promise<LoginAttempt> {
    const account = email.toLowerCase();
    // IPv6 clients are keyed by their /64, as in the per-IP throttler: one host holds millions
    // of addresses.
    const address = normalizeIp(ip);
    const counts = await this.store.add(account, address, this.limits.windowSeconds * 1000);
    const until: number[] = [];
    if (counts.address.failures > this.limits.perAccount) until.push(counts.address.resetAt);
    // An address with no failure for the account (1: only this attempt) still gets through.
    if (counts.account.failures > this.limits.accountCeiling && counts.address.failures > 1) {
      until.push(counts.account.resetAt);
    }
    if (until.length) {
      await this.store.remove(account, address);
      throw new DomainError(CommonErrors.RATE_LIMITED, 'Too many attempts; try again later', {
        retryAfterSeconds: (Math.max(...until) - Date.now()) / 1000,
      });
    }
    return {
      failed: async () => {
        const counts = await this.store.claimNotice(account, this.limits.accountCeiling);
        if (!counts) return null;
        return {
          ...counts,
          windowMinutes: Math.ceil(this.limits.windowSeconds / 60),
          release: () => this.store.releaseNotice(account),
        };
      },
      succeeded: () => this.store.clear(account, address),
      abandon: () => this.store.remove(account, address),
    };
  }
}
