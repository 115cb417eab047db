import { getDataSourceToken } from '@nestjs/typeorm';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { SigningKeysRepository } from '../../src/modules/audit/signing/signing-keys.repository';
import { SigningService, verifySignature } from '../../src/modules/audit/signing/signing.service';
import { API, startApp, type TestApp } from '../utils/app';

interface Key {
  keyId: string;
  algorithm: string;
  publicKey: string;
  use: string;
  createdAt: string;
  retiredAt: string | null;
}

describe('Signing keys (GET /public/keys)', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startApp();
    dir = mkdtempSync(join(tmpdir(), 'efir-keys-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const keys = async (): Promise<Key[]> => {
    const res = await t.http().get(`${API}/public/keys`).expect(200);
    return res.body.items as Key[];
  };

  it('lists the current Ed25519 key for receipts and tree heads, publicly, and it verifies what the app signs', async () => {
    const items = await keys();
    expect(items.map((k) => k.use).sort()).toEqual(['audit-tree-head', 'idea-receipt']);
    for (const k of items) {
      expect(k).toMatchObject({ algorithm: 'Ed25519', retiredAt: null });
      expect(Buffer.from(k.publicKey, 'base64')).toHaveLength(32);
    }
    const signing = t.app.get(SigningService);
    const { signature, keyId } = signing.sign('efir-idea-receipt.v1\nabc');
    const key = items.find((k) => k.keyId === keyId && k.use === 'idea-receipt')!;
    expect(
      verifySignature(Buffer.from(key.publicKey, 'base64'), 'efir-idea-receipt.v1\nabc', signature),
    ).toBe(true);
    expect(
      verifySignature(Buffer.from(key.publicKey, 'base64'), 'efir-idea-receipt.v1\nabd', signature),
    ).toBe(false);
  });

  it('keeps a rotated-out key listed, stamped retired, so old signatures stay verifiable', async () => {
    const before = await keys();
    const oldId = before[0]!.keyId;
    // A process started with a new SIGNING_KEY_FILE (a rotation).
    const { privateKey } = generateKeyPairSync('ed25519');
    const file = join(dir, 'rotated.pem');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const rotated = new SigningService(
      { ...t.config, signingKeyFile: file },
      t.app.get<DataSource>(getDataSourceToken()),
      t.app.get(SigningKeysRepository),
    );
    await rotated.onModuleInit();

    const after = await keys();
    expect(after).toHaveLength(4);
    const old = after.filter((k) => k.keyId === oldId);
    const current = after.filter((k) => k.keyId === rotated.keyId);
    expect(old.map((k) => k.retiredAt !== null)).toEqual([true, true]);
    expect(current.map((k) => k.retiredAt)).toEqual([null, null]);
    const message = 'efir-idea-receipt.v1\nrotated';
    const signature = sign(null, Buffer.from(message), privateKey).toString('base64');
    expect(verifySignature(Buffer.from(current[0]!.publicKey, 'base64'), message, signature)).toBe(true);
  });
});
