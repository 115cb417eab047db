import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// The compose file and the image are how most people will first run Efir: whatever they ship by
// default is what an unattended deployment runs with (issue 11, item 1).
const ROOT = join(__dirname, '../..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const SECRET_NAME = /SECRET|PASSWORD|_KEY|TOKEN/;

describe('docker-compose.yml', () => {
  it('gives no secret a default: each must be set or compose stops', () => {
    const text = read('docker-compose.yml');
    const interpolations = [...text.matchAll(/\$\{(\w+)(:?[-?])([^}]*)\}/g)];
    const secrets = interpolations.filter(([, name]) => SECRET_NAME.test(name!));
    expect(secrets.length).toBeGreaterThan(0);
    for (const [whole, name, operator, fallback] of secrets) {
      // `${X:?message}` stops without X; `${X:-}` (empty) is allowed only for optional ones
      const required = operator === ':?';
      const optionalEmpty = operator === ':-' && fallback === '';
      expect({ whole, ok: required || (optionalEmpty && /^OPERATOR_/.test(name!)) }).toEqual({
        whole,
        ok: true,
      });
    }
    for (const name of ['JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD']) {
      expect(text).toContain(`\${${name}:?`);
    }
  });

  it('publishes no PostgreSQL or Redis port beyond loopback', () => {
    for (const name of ['postgres', 'redis']) {
      for (const port of compose.services[name]!.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('runs PostgreSQL with a password and without trust, and Redis with a password', () => {
    const pg = compose.services.postgres!.environment!;
    expect(pg.POSTGRES_HOST_AUTH_METHOD).toBeUndefined();
    expect(pg.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--requirepass']));
    for (const name of ['api', 'worker']) {
      const env = compose.services[name]!.environment!;
      expect(env.NODE_ENV).toBe('production');
      expect(env.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
      expect(env.REDIS_URL).toContain('${REDIS_PASSWORD:?');
    }
  });
});

describe('Dockerfile', () => {
  it('runs the application as an unprivileged user', () => {
    const stages = read('Dockerfile').split(/^FROM /m);
    const final = stages[stages.length - 1]!;
    const user = /^USER\s+(\S+)/m.exec(final)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    // USER comes before the command it applies to
    expect(final.indexOf('USER')).toBeLessThan(final.indexOf('CMD'));
  });
});
