import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type SigningUse = 'idea-receipt' | 'audit-tree-head';

export interface SigningKeyRow {
  key_id: string;
  use: SigningUse;
  algorithm: string;
  public_key: Buffer;
  created_at: Date;
  retired_at: Date | null;
}

/** The SQL of `signing_keys`. */
@Injectable()
export class SigningKeysRepository {
  /**
   * Lists `keyId` as the current key of `use`: inserted if new (un-retired if it was rotated out
   * and back), every other key of that use stamped retired. One statement, so two processes
   * starting together agree.
   */
  async register(em: EntityManager, use: SigningUse, keyId: string, publicKey: Buffer): Promise<void> {
    await em.query(
      `WITH current AS (
         INSERT INTO signing_keys (key_id, use, public_key) VALUES ($1, $2, $3)
         ON CONFLICT (key_id, use) DO UPDATE SET retired_at = NULL
         RETURNING key_id)
       UPDATE signing_keys SET retired_at = now()
        WHERE use = $2 AND key_id <> $1 AND retired_at IS NULL`,
      [keyId, use, publicKey],
    );
  }

  /** Every key ever used, oldest first. */
  list(em: EntityManager): Promise<SigningKeyRow[]> {
    return em.query<SigningKeyRow[]>(
      `SELECT key_id, use, algorithm, public_key, created_at, retired_at
         FROM signing_keys ORDER BY created_at, key_id, use`,
    );
  }
}
