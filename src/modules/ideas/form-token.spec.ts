import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../config/env';
import { FormTokens } from './form-token';
import { IdeaHmac } from './idea-hmac';

describe('FormTokens', () => {
  const tokens = new FormTokens(
    new IdeaHmac(loadConfig({ NODE_ENV: 'test', IDEA_HMAC_KEY: 'k'.repeat(32) })),
  );
  const other = new FormTokens(new IdeaHmac(loadConfig({ NODE_ENV: 'test', IDEA_HMAC_KEY: 'o'.repeat(32) })));
  const callId = randomUUID();
  const issuedAt = 1_750_000_000_123;

  it('reads back the issue time and a fresh 128-bit nonce for its own call', () => {
    const a = tokens.read(tokens.issue(callId, issuedAt), callId);
    const b = tokens.read(tokens.issue(callId, issuedAt), callId.toUpperCase());
    expect(a?.issuedAtMs).toBe(issuedAt);
    expect(a?.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(b?.issuedAtMs).toBe(issuedAt);
    expect(b?.nonce).not.toBe(a?.nonce);
  });

  it('refuses another call, another key, a changed payload or MAC, and malformed tokens', () => {
    const token = tokens.issue(callId, issuedAt);
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString()
        .replace(String(issuedAt), String(issuedAt - 60_000)),
    ).toString('base64url');
    expect(tokens.read(token, randomUUID())).toBeNull();
    expect(other.read(token, callId)).toBeNull();
    expect(tokens.read(`${forged}.${mac}`, callId)).toBeNull();
    expect(tokens.read(`${payload}.${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`, callId)).toBeNull();
    for (const bad of ['', '.', 'abc', `${payload}`, `${payload}.${mac}.x`, `${payload}.zz`]) {
      expect(tokens.read(bad, callId)).toBeNull();
    }
  });
});
