import { RateLimiter, type RateLimitRule } from '../../src/shared/rate-limit/rate-limiter';
import { startApp, type TestApp } from '../utils/app';

// The PostgreSQL rate limiter (GCRA) against the real database: what every API instance shares.
describe('RateLimiter (PostgreSQL, GCRA)', () => {
  let t: TestApp;
  let limiter: RateLimiter;
  const rule = (bucket: string, limit = 5, periodSeconds = 3600): RateLimitRule => ({
    bucket,
    limit,
    periodSeconds,
  });

  beforeAll(async () => {
    t = await startApp({ RUN_WORKER: 'false' });
    limiter = t.app.get(RateLimiter);
  });
  afterAll(() => t.close());

  it('lets exactly `limit` of twenty concurrent requests of one key through', async () => {
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.take(rule('burst'), 'k1')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });

  it('answers how long to wait: one emission interval (period / limit) after a full burst', async () => {
    for (let i = 0; i < 5; i++) expect((await limiter.take(rule('wait'), 'k')).allowed).toBe(true);
    const refused = await limiter.take(rule('wait'), 'k');
    expect(refused.allowed).toBe(false);
    // 3600 s / 5 = 720 s until the next request fits.
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeGreaterThan(700);
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeLessThanOrEqual(720);
  });

  it('keeps keys and buckets apart', async () => {
    for (let i = 0; i < 5; i++) await limiter.take(rule('apart'), 'a');
    expect((await limiter.take(rule('apart'), 'a')).allowed).toBe(false);
    expect((await limiter.take(rule('apart'), 'b')).allowed).toBe(true);
    expect((await limiter.take(rule('apart-too'), 'a')).allowed).toBe(true);
  });

  it('lets requests through again as time passes (database clock)', async () => {
    const fast = rule('refill', 2, 1);
    expect((await limiter.take(fast, 'k')).allowed).toBe(true);
    expect((await limiter.take(fast, 'k')).allowed).toBe(true);
    expect((await limiter.take(fast, 'k')).allowed).toBe(false);
    await t.db.query('SELECT pg_sleep(0.6)');
    expect((await limiter.take(fast, 'k')).allowed).toBe(true);
  });
});
