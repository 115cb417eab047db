import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface StoredResponse<T> {
  request_hash: string;
  status_code: number;
  response: T;
}

/** The SQL of idempotency_keys, and the advisory lock that serialises retries of one key. */
@Injectable()
export class IdempotencyRepository {
  /** Held to the end of the transaction: concurrent retries of (organisation, key) queue here. */
  async lockKey(em: EntityManager, organisationId: string, key: string): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7262003))', [
      `${organisationId}:${key}`,
    ]);
  }

  async find<T>(
    em: EntityManager,
    organisationId: string,
    key: string,
  ): Promise<StoredResponse<T> | undefined> {
    const [stored] = await em.query<StoredResponse<T>[]>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE organisation_id = $1 AND key = $2',
      [organisationId, key],
    );
    return stored;
  }

  /** Stores the first response and answers it as jsonb gave it back. */
  async insert<T>(
    em: EntityManager,
    row: { organisationId: string; key: string; requestHash: string; statusCode: number; body: T },
  ): Promise<T> {
    const [saved] = await em.query<{ response: T }[]>(
      `INSERT INTO idempotency_keys (organisation_id, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5::jsonb)
       RETURNING response`,
      [row.organisationId, row.key, row.requestHash, row.statusCode, JSON.stringify(row.body)],
    );
    return saved!.response;
  }
}
