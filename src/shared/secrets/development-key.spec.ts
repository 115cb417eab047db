import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentKey } from './development-key';

describe('developmentKey', () => {
  let dir: string;
  beforeEach(() => (dir = join(mkdtempSync(join(tmpdir(), 'efir-keys-')), 'keys')));
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('makes a random key once and returns the same key afterwards', () => {
    const first = developmentKey(dir, 'webhook-secret');
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(developmentKey(dir, 'webhook-secret')).toBe(first);
    expect(developmentKey(dir, 'other')).not.toBe(first);
  });

  it('keeps the key readable by its owner only', () => {
    developmentKey(dir, 'webhook-secret');
    expect(statSync(join(dir, 'webhook-secret.key')).mode & 0o077).toBe(0);
  });
});
