import { JwtService } from '@nestjs/jwt';
import { KeyObject, randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../config/env';
import { jwtModuleOptions } from './jwt.config';
import { JwtStrategy } from './jwt.strategy';

/** What loadConfig throws for `env`, or undefined when it does not throw. */
function configErrorOf(env: Record<string, string>): ConfigError | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
}

describe('JWT configuration', () => {
  const config = loadConfig({ NODE_ENV: 'test' });

  describe('jwtModuleOptions', () => {
    it('hands @nestjs/jwt the secret as a crypto KeyObject, not a string', () => {
      const { secret } = jwtModuleOptions(config);
      expect(secret).toBeInstanceOf(KeyObject);
      const key = secret as unknown as KeyObject;
      expect(key.type).toBe('secret');
      expect(key.export().toString('utf8')).toBe(config.jwtSecret);
    });

    it('signs HS256 tokens with iss, aud and the configured lifetime, and verifies them', async () => {
      const jwt = new JwtService(jwtModuleOptions(config));
      const token = await jwt.signAsync({ sub: 'u1', typ: 'access' });
      const [header] = token.split('.');
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString('utf8'))).toMatchObject({ alg: 'HS256' });
      const claims = await jwt.verifyAsync<{ iss: string; aud: string; iat: number; exp: number }>(token);
      expect(claims).toMatchObject({ iss: 'efir', aud: 'efir-api' });
      expect(claims.exp - claims.iat).toBe(config.accessTokenTtlSeconds);
    });
  });

  describe('JwtStrategy', () => {
    it('hands jsonwebtoken the secret as a crypto KeyObject, not a string', async () => {
      const strategy = new JwtStrategy(config) as unknown as {
        _secretOrKeyProvider: (
          request: unknown,
          rawJwtToken: string,
          done: (err: Error | null, key?: unknown) => void,
        ) => void;
      };
      const key = await new Promise<unknown>((resolve, reject) =>
        strategy._secretOrKeyProvider(null, '', (err, k) => (err ? reject(err) : resolve(k))),
      );
      expect(key).toBeInstanceOf(KeyObject);
      expect((key as KeyObject).type).toBe('secret');
      expect((key as KeyObject).export().toString('utf8')).toBe(config.jwtSecret);
    });
  });

  describe('loadConfig', () => {
    it('refuses to start in production without JWT_SECRET, naming the variable', () => {
      const err = configErrorOf({ NODE_ENV: 'production' });
      expect(err).toBeInstanceOf(ConfigError);
      expect(err?.variable).toBe('JWT_SECRET');
      expect(err?.message).toContain('JWT_SECRET');
    });

    it('refuses a JWT_SECRET shorter than 32 bytes, naming the variable', () => {
      const err = configErrorOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) });
      expect(err).toBeInstanceOf(ConfigError);
      expect(err?.variable).toBe('JWT_SECRET');
      expect(err?.message).toContain('JWT_SECRET');
      // outside production too: a short secret is never acceptable
      expect(configErrorOf({ NODE_ENV: 'test', JWT_SECRET: 'short' })?.variable).toBe('JWT_SECRET');
    });

    it('counts the secret length in bytes and accepts 32 bytes', () => {
      // 15 two-byte letters and one ASCII letter: 16 characters, 31 bytes
      // random: a literal would be a secret published in the repository, which production refuses
      const production = {
        NODE_ENV: 'production',
        WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
        IDEA_HMAC_KEY: randomBytes(32).toString('hex'),
        SIGNING_KEY_FILE: '/etc/efir/signing.pem',
      };
      const secret = randomBytes(24).toString('base64'); // 32 bytes
      expect(configErrorOf({ ...production, JWT_SECRET: `${'жқ'.repeat(7)}жa` })?.variable).toBe(
        'JWT_SECRET',
      );
      expect(configErrorOf({ ...production, JWT_SECRET: secret })).toBeUndefined();
      expect(loadConfig({ ...production, JWT_SECRET: 'жқ'.repeat(8) }).jwtSecret).toBe('жқ'.repeat(8));
    });
  });
});
