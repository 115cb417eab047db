import IORedis, { type RedisOptions } from 'ioredis';

// Producers fail fast while Redis is away (no offline queue, no retries per request): the
// request path never waits on Redis, rows simply stay in the outbox. Workers wait forever.
export function producerConnection(url: string): IORedis {
  return new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  } satisfies RedisOptions);
}

export function workerConnection(url: string): IORedis {
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  } satisfies RedisOptions);
}
