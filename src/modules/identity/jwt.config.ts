import type { JwtModuleOptions } from '@nestjs/jwt';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { AppConfig } from '../../config/env';

export const JWT_ISSUER = 'efir';
export const JWT_AUDIENCE = 'efir-api';

// A KeyObject, never a string: jsonwebtoken 9 tries createPublicKey() on a string secret first,
// which costs about a millisecond per verify, on every authenticated request.
const keys = new Map<string, KeyObject>();
export function jwtSecretKey(config: Pick<AppConfig, 'jwtSecret'>): KeyObject {
  let key = keys.get(config.jwtSecret);
  if (!key) {
    key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    keys.set(config.jwtSecret, key);
  }
  return key;
}

export function jwtModuleOptions(config: AppConfig): JwtModuleOptions {
  return {
    secret: jwtSecretKey(config),
    signOptions: {
      algorithm: 'HS256',
      expiresIn: config.accessTokenTtlSeconds,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    },
    verifyOptions: jwtVerifyOptions(config),
  };
}

/** What every verifier requires: HS256, our issuer and audience, and a token no older than its TTL. */
export function jwtVerifyOptions(config: Pick<AppConfig, 'accessTokenTtlSeconds'>) {
  return {
    algorithms: ['HS256' as const],
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    maxAge: config.accessTokenTtlSeconds,
  };
}
