import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A key that must outlive the process but was not configured (outside production only): made up
 * once and kept in `<dir>/<name>.key` (0600), so the API and the worker of one checkout share it
 * and a restart can still read what it encrypted. Production configures its keys instead.
 */
export function developmentKey(dir: string, name: string): string {
  const file = join(dir, `${name}.key`);
  const existing = readIfPresent(file);
  if (existing) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process (the worker beside the API) made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readIfPresent(file) ?? '';
}

function readIfPresent(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
