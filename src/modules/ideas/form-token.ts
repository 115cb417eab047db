import { Injectable } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { IdeaHmac } from './idea-hmac';

/** How long a form token stays usable after it was issued. */
export const FORM_TOKEN_TTL_MS = 24 * 3600 * 1000;

/** What a valid form token says: when it was issued (database clock, ms) and its single-use nonce. */
export interface FormToken {
  issuedAtMs: number;
  nonce: string;
}

const PAYLOAD =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,15})\.([0-9a-f]{32})$/;
const MAC = /^[0-9a-f]{64}$/;

/**
 * The submission form's token: `base64url("{callId}.{issuedAtMs}.{nonce}")` + "." + its HMAC.
 * Stateless until used (GET /form writes nothing, so fetching forms cannot fill a table); the
 * nonce is stored when a submission uses it, which makes the token single use. The age rules
 * (not before IDEA_MIN_FORM_SECONDS, not after 24 h) are the service's: they need the database
 * clock.
 */
@Injectable()
export class FormTokens {
  constructor(private readonly hmac: IdeaHmac) {}

  issue(callId: string, issuedAtMs: number): string {
    const payload = `${callId.toLowerCase()}.${issuedAtMs}.${randomBytes(16).toString('hex')}`;
    return `${Buffer.from(payload, 'utf8').toString('base64url')}.${this.hmac.of('form', payload)}`;
  }

  /** The token's content if it is well formed, untampered and for `callId`; null otherwise. */
  read(token: string, callId: string): FormToken | null {
    const [encoded, mac, ...rest] = token.split('.');
    if (encoded === undefined || mac === undefined || rest.length || !MAC.test(mac)) return null;
    const payload = Buffer.from(encoded, 'base64url').toString('utf8');
    const m = PAYLOAD.exec(payload);
    if (!m) return null;
    const expected = Buffer.from(this.hmac.of('form', payload), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) return null;
    if (m[1] !== callId.toLowerCase()) return null;
    return { issuedAtMs: Number(m[2]), nonce: m[3]! };
  }
}
