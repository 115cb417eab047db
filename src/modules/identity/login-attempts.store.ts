import { Injectable } from '@nestjs/common';

/** The failure counters of one (account, address) and of the account, after an operation. */
export interface FailureCounts {
  /** Failures of this account from this address in the address's window; its end (epoch ms). */
  address: { failures: number; resetAt: number };
  /** Failures of this account from every address in the account's window; its end (epoch ms). */
  account: { failures: number; resetAt: number };
}

/** What an account's owner is told about: failures and distinct addresses in the window. */
export interface AttackCounts {
  failures: number;
  addresses: number;
}

/**
 * Where the login limiter keeps its counters. Windows are fixed: one opens at a key's first
 * failure and lasts `windowMs`. Each method is atomic for its account, so the limiter can count
 * an attempt before it checks the password (parallel guesses cannot all slip through). Async,
 * since a later issue moves the counters to PostgreSQL.
 */
export interface LoginAttemptStore {
  /** Counts one failure of (account, address) and answers the counts including it. */
  add(account: string, address: string, windowMs: number): Promise<FailureCounts>;
  /** Takes back one failure counted by `add` (the attempt was refused or reached no verdict). */
  remove(account: string, address: string): Promise<void>;
  /** A right password: forgets the address's failures for the account, and takes back its `add`. */
  clear(account: string, address: string): Promise<void>;
  /**
   * Claims the account's one attack notice of its current window, once its failures reach
   * `atLeast`: answers the counts for the first caller, null for everyone else.
   */
  claimNotice(account: string, atLeast: number): Promise<AttackCounts | null>;
  /** Gives a claimed notice back (it could not be sent), so a later failure claims it again. */
  releaseNotice(account: string): Promise<void>;
}

export const LOGIN_ATTEMPT_STORE = Symbol('LOGIN_ATTEMPT_STORE');

interface Window {
  failures: number;
  resetAt: number;
}

interface AccountEntry extends Window {
  noticed: boolean;
  addresses: Map<string, Window>;
}

/** Expired entries are dropped at most this often (on a write), bounding memory without a timer. */
const SWEEP_EVERY_MS = 60_000;

/**
 * In this process's memory, not in Redis: a Redis outage must never turn into refused logins.
 * Several API processes each count on their own.
 */
@Injectable()
export class InMemoryLoginAttemptStore implements LoginAttemptStore {
  private readonly accounts = new Map<string, AccountEntry>();
  private nextSweep = 0;

  add(account: string, address: string, windowMs: number): Promise<FailureCounts> {
    const now = Date.now();
    this.sweep(now);
    let entry = this.accounts.get(account);
    if (!entry) {
      entry = { failures: 0, resetAt: now + windowMs, noticed: false, addresses: new Map() };
      this.accounts.set(account, entry);
    } else if (entry.resetAt <= now) {
      Object.assign(entry, { failures: 0, resetAt: now + windowMs, noticed: false });
    }
    let pair = entry.addresses.get(address);
    if (!pair || pair.resetAt <= now) {
      pair = { failures: 0, resetAt: now + windowMs };
      entry.addresses.set(address, pair);
    }
    entry.failures++;
    pair.failures++;
    return Promise.resolve({
      address: { failures: pair.failures, resetAt: pair.resetAt },
      account: { failures: entry.failures, resetAt: entry.resetAt },
    });
  }

  remove(account: string, address: string): Promise<void> {
    const entry = this.accounts.get(account);
    if (entry) {
      entry.failures = Math.max(0, entry.failures - 1);
      const pair = entry.addresses.get(address);
      if (pair && --pair.failures <= 0) entry.addresses.delete(address);
    }
    return Promise.resolve();
  }

  clear(account: string, address: string): Promise<void> {
    const entry = this.accounts.get(account);
    if (entry) {
      entry.failures = Math.max(0, entry.failures - 1);
      entry.addresses.delete(address);
    }
    return Promise.resolve();
  }

  claimNotice(account: string, atLeast: number): Promise<AttackCounts | null> {
    const now = Date.now();
    const entry = this.accounts.get(account);
    if (!entry || entry.noticed || entry.resetAt <= now || entry.failures < atLeast) {
      return Promise.resolve(null);
    }
    entry.noticed = true;
    let addresses = 0;
    for (const pair of entry.addresses.values()) if (pair.resetAt > now && pair.failures > 0) addresses++;
    return Promise.resolve({ failures: entry.failures, addresses });
  }

  releaseNotice(account: string): Promise<void> {
    const entry = this.accounts.get(account);
    if (entry) entry.noticed = false;
    return Promise.resolve();
  }

  /** The number of accounts held (for tests of the sweep). */
  get size(): number {
    return this.accounts.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [account, entry] of this.accounts) {
      for (const [address, pair] of entry.addresses) if (pair.resetAt <= now) entry.addresses.delete(address);
      if (entry.resetAt <= now && entry.addresses.size === 0) this.accounts.delete(account);
    }
  }
}
