import { loadConfig } from '../../config/env';
import { DomainError } from '../../shared/errors/domain-error';
import { LoginAttemptsService, type LoginAttempt } from './login-attempts.service';
import { InMemoryLoginAttemptStore } from './login-attempts.store';

const A = 'alice@example.kz';
const B = 'bob@example.kz';

/** The 429 a refused attempt throws, or null when it was let through. */
async function refusal(attempt: Promise<LoginAttempt>): Promise<DomainError | null> {
  try {
    await attempt;
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

describe('LoginAttemptsService', () => {
  let store: InMemoryLoginAttemptStore;
  let attempts: LoginAttemptsService;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    store = new InMemoryLoginAttemptStore();
    attempts = new LoginAttemptsService(
      store,
      loadConfig({
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '3',
        LOGIN_RATE_LIMIT_ACCOUNT_CEILING: '5',
        LOGIN_RATE_LIMIT_WINDOW_SECONDS: '60',
      }),
    );
  });
  afterEach(() => jest.useRealTimers());

  /** `n` failed attempts of `email` from `ip`. */
  async function fail(email: string, ip: string, n = 1): Promise<void> {
    for (let i = 0; i < n; i++) await (await attempts.begin(email, ip)).failed();
  }

  describe('begin', () => {
    it('refuses an address after 3 failures for the account with 429 and the rest of its window', async () => {
      await fail(A, '203.0.113.1', 3);
      jest.advanceTimersByTime(20_000);
      const err = await refusal(attempts.begin(A, '203.0.113.1'));
      expect(err?.def.code).toBe('RATE_LIMITED');
      expect(err?.extra.retryAfterSeconds).toBe(40);
    });

    it('lets 2 failures through, and another address and another account through after 3', async () => {
      await fail(A, '203.0.113.1', 2);
      expect(await refusal(attempts.begin(A, '203.0.113.1'))).toBeNull();
      await fail(B, '203.0.113.2', 3);
      expect(await refusal(attempts.begin(A, '198.51.100.1'))).toBeNull();
      expect(await refusal(attempts.begin(B, '203.0.113.1'))).toBeNull();
      expect(await refusal(attempts.begin(B, '203.0.113.2'))).not.toBeNull();
    });

    it('counts an attempt before its verdict, so parallel attempts from one address cannot pass the limit', async () => {
      const pending = await Promise.all([1, 2, 3].map(() => attempts.begin(A, '203.0.113.1')));
      expect(await refusal(attempts.begin(A, '203.0.113.1'))).not.toBeNull();
      // abandoned attempts (an error, a disabled account) are no failures
      for (const p of pending) await p.abandon();
      await fail(A, '203.0.113.1', 3);
      expect(await refusal(attempts.begin(A, '203.0.113.1'))).not.toBeNull();
    });

    it('does not count refused attempts', async () => {
      await fail(A, '203.0.113.1', 3);
      for (let i = 0; i < 5; i++) await refusal(attempts.begin(A, '203.0.113.1'));
      // three failures so far: the second of two fresh addresses reaches the ceiling of 5
      expect(await (await attempts.begin(A, '198.51.100.1')).failed()).toBeNull();
      expect(await (await attempts.begin(A, '198.51.100.2')).failed()).toEqual(
        expect.objectContaining({ failures: 5, addresses: 3 }),
      );
    });

    it('starts an address over after a right password', async () => {
      await fail(A, '203.0.113.1', 2);
      await (await attempts.begin(A, '203.0.113.1')).succeeded();
      await fail(A, '203.0.113.1', 3);
      expect(await refusal(attempts.begin(A, '203.0.113.1'))).not.toBeNull();
    });

    it('past the ceiling of 5 refuses every address that failed, and still lets fresh addresses through', async () => {
      for (let i = 1; i <= 5; i++) await fail(A, `203.0.113.${i}`);
      const err = await refusal(attempts.begin(A, '203.0.113.1'));
      expect(err?.def.code).toBe('RATE_LIMITED');
      expect(err?.extra.retryAfterSeconds).toBe(60);
      const fresh = await attempts.begin(A, '198.51.100.1');
      await fresh.failed();
      // having failed once, the fresh address is now refused too; other accounts are not concerned
      expect(await refusal(attempts.begin(A, '198.51.100.1'))).not.toBeNull();
      expect(await refusal(attempts.begin(A, '198.51.100.2'))).toBeNull();
      expect(await refusal(attempts.begin(B, '203.0.113.1'))).toBeNull();
    });

    it('lets an address in again when its window has passed', async () => {
      await fail(A, '203.0.113.1', 3);
      jest.advanceTimersByTime(59_999);
      expect(await refusal(attempts.begin(A, '203.0.113.1'))).not.toBeNull();
      jest.advanceTimersByTime(1);
      expect(await refusal(attempts.begin(A, '203.0.113.1'))).toBeNull();
    });

    it('keys the account by its lower-cased e-mail and IPv6 clients by their /64', async () => {
      await fail('Alice@Example.KZ', '2001:db8:1:2::1', 3);
      expect(await refusal(attempts.begin(A, '2001:db8:1:2:ffff::9'))).not.toBeNull();
      expect(await refusal(attempts.begin(A, '2001:db8:1:3::1'))).toBeNull();
    });
  });

  describe('failed', () => {
    it('answers the owner notice once per window, from the failure that reaches the ceiling', async () => {
      const notices = [];
      for (let i = 1; i <= 5; i++) {
        notices.push(await (await attempts.begin(A, `203.0.113.${(i % 3) + 1}`)).failed());
      }
      expect(notices.slice(0, 4)).toEqual([null, null, null, null]);
      expect(notices[4]).toEqual(expect.objectContaining({ failures: 5, addresses: 3, windowMinutes: 1 }));
      expect(await (await attempts.begin(A, '203.0.113.9')).failed()).toBeNull();

      jest.advanceTimersByTime(60_000);
      for (let i = 1; i <= 4; i++)
        expect(await (await attempts.begin(A, `198.51.100.${i}`)).failed()).toBeNull();
      expect(await (await attempts.begin(A, '198.51.100.5')).failed()).not.toBeNull();
    });

    it('answers the notice again after it was released (it could not be sent)', async () => {
      for (let i = 1; i <= 4; i++) await fail(A, `203.0.113.${i}`);
      const notice = await (await attempts.begin(A, '203.0.113.5')).failed();
      await notice!.release();
      expect(await (await attempts.begin(A, '203.0.113.6')).failed()).toEqual(
        expect.objectContaining({ failures: 6, addresses: 6 }),
      );
    });
  });
});

describe('InMemoryLoginAttemptStore', () => {
  afterEach(() => jest.useRealTimers());

  it('drops the counters of windows that have passed', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const store = new InMemoryLoginAttemptStore();
    await store.add(A, '203.0.113.1', 1000);
    await store.add(B, '203.0.113.1', 120_000);
    expect(store.size).toBe(2);
    jest.advanceTimersByTime(61_000);
    await store.add(B, '203.0.113.2', 120_000);
    expect(store.size).toBe(1);
  });
});
