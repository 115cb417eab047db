import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../shared/errors/domain-error';
import { canonicalJson } from '../bids/canonical';
import type { IdempotentResult } from '../../shared/http/idempotent-reply';
import { FinanceErrors } from './finance.errors';
import { IdempotencyRepository } from './repositories/idempotency.repository';

const KEY = /^[\w.:-]{8,200}$/;

export type { IdempotentResult } from '../../shared/http/idempotent-reply';

/**
 * Idempotency-Key handling for requests that move money (IETF draft
 * "The Idempotency-Key HTTP Header Field"; Stripe's model). Inside the caller's transaction:
 * an advisory lock on (organisation, key) serialises concurrent retries; a stored key with the
 * same request hash answers with the first response, a different hash is 422. The key row is
 * written in the same transaction as the effect, so a rolled-back request leaves no key.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly repo: IdempotencyRepository) {}

  async run<T>(
    em: EntityManager,
    scope: { organisationId: string; key: string | undefined; request: unknown; required: boolean },
    execute: () => Promise<{ statusCode: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    const { organisationId, key } = scope;
    if (key === undefined) {
      if (scope.required) throw new DomainError(FinanceErrors.IDEMPOTENCY_KEY_REQUIRED);
      return { replayed: false, ...(await execute()) };
    }
    if (!KEY.test(key)) {
      throw new DomainError(
        FinanceErrors.IDEMPOTENCY_KEY_REQUIRED,
        'Idempotency-Key must be 8-200 characters [A-Za-z0-9_.:-]',
      );
    }
    const requestHash = createHash('sha256').update(canonicalJson(scope.request)).digest('hex');
    await this.repo.lockKey(em, organisationId, key);
    const stored = await this.repo.find<T>(em, organisationId, key);
    if (stored) {
      if (stored.request_hash !== requestHash) throw new DomainError(FinanceErrors.IDEMPOTENCY_KEY_REUSED);
      return { replayed: true, statusCode: stored.status_code, body: stored.response };
    }
    const result = await execute();
    // The first response is the stored one as well: jsonb orders object keys its own way, and a
    // replay must be byte-identical to the first answer, not merely equal to it.
    const body = await this.repo.insert(em, {
      organisationId,
      key,
      requestHash,
      statusCode: result.statusCode,
      body: result.body,
    });
    return { replayed: false, statusCode: result.statusCode, body };
  }
}
