import { Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { createHmac } from 'node:crypto';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { developmentKey } from '../../shared/secrets/development-key';

/**
 * The address one person has however they spell it: trimmed, lower-cased, without a `+tag`,
 * and for Gmail without dots (googlemail.com is gmail.com). Written here rather than taken from
 * validator's `normalizeEmail`, which keeps `+tags` on every domain it has no rule for: one vote
 * per person needs the tag dropped everywhere.
 */
export function normaliseEmail(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 1) return address;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replace(/\./g, '');
  return `${local}@${domain}`;
}

/**
 * Keyed hashes that stand in for personal data where the ideas module needs only equality: the
 * normalised e-mail of a voter or reporter (uniqueness), the client address (rate limits, the
 * submitter's IP hash), form tokens. Each use has its own domain prefix, so one never matches
 * another. Key: IDEA_HMAC_KEY (a development key under KEYS_DIR when unset outside production).
 */
@Injectable()
export class IdeaHmac {
  private readonly key: string;

  constructor(@InjectConfig() config: AppConfig) {
    this.key = config.ideaHmacKey ?? developmentKey(config.keysDir, 'idea-hmac');
  }

  /** Hex HMAC of `value` for `purpose`. */
  of(purpose: 'email' | 'ip' | 'form', value: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\n${value}`).digest('hex');
  }

  /** The HMAC of the normalised address: one value for every spelling of one mailbox. */
  email(address: string): string {
    return this.of('email', normaliseEmail(address));
  }

  /**
   * The HMAC of a client address, IPv6 by its /64 (one host holds millions of addresses; the
   * login limits count the same way): the key of per-address limits and the stored IP hash.
   */
  ip(address: string): string {
    return this.of('ip', normalizeIp(address));
  }
}
