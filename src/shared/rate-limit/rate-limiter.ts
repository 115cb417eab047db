import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CommonErrors } from '../errors/common.errors';
import { DomainError } from '../errors/domain-error';

export interface RateLimitRule {
  /** The limit's name (`idea-submission`, `vote-request`…): keys of different buckets never meet. */
  bucket: string;
  /** Requests allowed per period (also the largest burst). */
  limit: number;
  periodSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Rate limits counted in PostgreSQL, so every API instance sees the same count and a Redis outage
 * changes nothing. The algorithm is GCRA (the one behind redis-cell and `throttled`): each key
 * keeps one "theoretical arrival time" (tat); a request moves it `period / limit` ahead and is
 * refused when that would put it more than `period` ahead of now. One UPSERT decides, and its
 * row lock orders concurrent requests of one key, so twenty parallel requests let exactly `limit`
 * through. Time is the database clock. No library does this over PostgreSQL: the maintained ones
 * (rate-limiter-flexible, @nestjs/throttler storages) count in Redis or in process memory.
 */
@Injectable()
export class RateLimiter {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Takes one request of `key` (an HMAC, never a raw address) from `rule`. */
  async take(rule: RateLimitRule, key: string, em: EntityManager = this.ds.manager): Promise<RateDecision> {
    const stepMs = (rule.periodSeconds * 1000) / rule.limit;
    const [row] = await em.query<{ allowed: boolean; retry_after: number | null }[]>(
      `WITH taken AS (
         INSERT INTO rate_limits (bucket, key, tat) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (bucket, key) DO UPDATE
            SET tat = greatest(rate_limits.tat, now()) + $3 * interval '1 millisecond'
          WHERE greatest(rate_limits.tat, now()) + $3 * interval '1 millisecond'
                <= now() + $4 * interval '1 second'
         RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM taken) AS allowed,
              (SELECT ceil(extract(epoch FROM greatest(r.tat, now()) + $3 * interval '1 millisecond'
                                              - now() - $4 * interval '1 second'))::int
                 FROM rate_limits r WHERE r.bucket = $1 AND r.key = $2) AS retry_after`,
      [rule.bucket, key, stepMs, rule.periodSeconds],
    );
    return row?.allowed
      ? { allowed: true }
      : { allowed: false, retryAfterSeconds: Math.max(1, row?.retry_after ?? 1) };
  }

  /** Takes one request, or refuses it: 429 RATE_LIMITED with Retry-After, `detail` saying what. */
  async enforce(rule: RateLimitRule, key: string, detail: string): Promise<void> {
    const decision = await this.take(rule, key);
    if (!decision.allowed) {
      throw new DomainError(CommonErrors.RATE_LIMITED, detail, {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
  }
}
