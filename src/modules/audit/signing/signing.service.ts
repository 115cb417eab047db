import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../../../config/config.module';
import type { AppConfig } from '../../../config/env';
import { SigningKeysRepository, type SigningUse } from './signing-keys.repository';

export type { SigningUse } from './signing-keys.repository';

export interface PublicKeyDto {
  keyId: string;
  algorithm: 'Ed25519';
  /** Base64 of the raw 32-byte public key. */
  publicKey: string;
  use: SigningUse;
  createdAt: string;
  retiredAt: string | null;
}

export interface Signature {
  /** Base64 Ed25519 signature. */
  signature: string;
  keyId: string;
}

const USES: readonly SigningUse[] = ['idea-receipt', 'audit-tree-head'];

/** The raw 32 bytes of an Ed25519 public key (the last 32 bytes of its SPKI DER). */
function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

/** The key id: the first 16 hex digits of the SHA-256 of the raw public key. */
export function keyIdOf(publicKey: Buffer): string {
  return `ed25519-${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

/** Checks a base64 Ed25519 signature over `message` with a raw 32-byte public key. */
export function verifySignature(publicKeyRaw: Buffer, message: string, signature: string): boolean {
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKeyRaw]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
}

/**
 * Efir's Ed25519 signing key (SIGNING_KEY_FILE, PEM PKCS#8; outside production one is generated
 * under KEYS_DIR and shared by the API and worker of a checkout). At start its public half is
 * listed in `signing_keys` for every use and older keys are stamped retired: rotating is
 * replacing the file and restarting; old keys stay listed so old signatures stay verifiable.
 */
@Injectable()
export class SigningService implements OnModuleInit {
  private readonly privateKey: KeyObject;
  private readonly publicKey: Buffer;
  readonly keyId: string;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly keys: SigningKeysRepository,
  ) {
    this.privateKey = createPrivateKey(
      readFileSync(config.signingKeyFile ?? developmentSigningKey(config.keysDir)),
    );
    if (this.privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error('SIGNING_KEY_FILE must hold an Ed25519 private key (PEM PKCS#8)');
    }
    this.publicKey = rawPublicKey(createPublicKey(this.privateKey));
    this.keyId = keyIdOf(this.publicKey);
  }

  async onModuleInit(): Promise<void> {
    for (const use of USES) await this.keys.register(this.ds.manager, use, this.keyId, this.publicKey);
  }

  /** Signs the UTF-8 bytes of `message`. */
  sign(message: string): Signature {
    return {
      signature: sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64'),
      keyId: this.keyId,
    };
  }

  async list(): Promise<PublicKeyDto[]> {
    const rows = await this.keys.list(this.ds.manager);
    return rows.map((r) => ({
      keyId: r.key_id,
      algorithm: 'Ed25519',
      publicKey: r.public_key.toString('base64'),
      use: r.use,
      createdAt: r.created_at.toISOString(),
      retiredAt: r.retired_at?.toISOString() ?? null,
    }));
  }
}

/** A development key under `dir`, made once (0600); the first process to write it wins. */
function developmentSigningKey(dir: string): string {
  const file = join(dir, 'signing-ed25519.pem');
  try {
    readFileSync(file);
    return file;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return file;
}
