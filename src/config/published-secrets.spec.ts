import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './env';
import { isPublishedSecret } from './published-secrets';

const ROOT = join(__dirname, '../..');

/**
 * Every literal value given to JWT_SECRET or WEBHOOK_SECRET_KEY anywhere in the tracked files
 * (compose defaults, bench and test fallbacks, docs): a string of 32 or more characters on a
 * line that names the variable. Specs build theirs at random and are left out.
 */
function literalsInRepository(): { file: string; value: string }[] {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.endsWith('.spec.ts') && !f.endsWith('package-lock.json'));
  const found: { file: string; value: string }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, file), 'utf8');
    } catch {
      continue; // deleted in the work tree
    }
    for (const line of text.split('\n')) {
      if (!/JWT_SECRET|WEBHOOK_SECRET_KEY|TEST_SECRETS/.test(line)) continue;
      for (const m of line.matchAll(/'([^'\s]{32,})'|"([^"\s]{32,})"|:-([^}\s]{32,})\}/g)) {
        found.push({ file, value: (m[1] ?? m[2] ?? m[3])! });
      }
    }
  }
  return found;
}

describe('published secrets', () => {
  const literals = literalsInRepository();

  it('finds the fallbacks the repository does contain (the scan works)', () => {
    expect(literals.map((l) => l.file)).toEqual(
      expect.arrayContaining(['bench/lib.ts', 'test/utils/app.ts']),
    );
  });

  it.each(literalsInRepository())('refuses $value from $file in production', ({ value }) => {
    expect(isPublishedSecret(value)).toBe(true);
    for (const variable of ['JWT_SECRET', 'WEBHOOK_SECRET_KEY']) {
      const other = variable === 'JWT_SECRET' ? 'WEBHOOK_SECRET_KEY' : 'JWT_SECRET';
      let error: unknown;
      try {
        loadConfig({ NODE_ENV: 'production', [variable]: value, [other]: 'a'.repeat(16) + 'b'.repeat(16) });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
    }
  });

  it('refuses the old compose default and placeholders, and accepts a generated secret', () => {
    for (const value of [
      'change-me-to-a-long-random-secret-of-32-bytes',
      'replace-me-with-something-long-enough!!',
    ]) {
      expect(isPublishedSecret(value)).toBe(true);
    }
    expect(isPublishedSecret('Vq3kP0zT9wY2mR7xN4cB8hJ6fL1sD5gA')).toBe(false);
  });
});
