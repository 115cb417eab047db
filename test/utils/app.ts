import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import IORedis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { AppOptions } from '../../src/app.module';
import { API_PREFIX, createApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig, type Env } from '../../src/config/env';
import { databaseUrl, templateDatabase, testDatabaseName, withAdmin } from '../setup/databases';

/** The API's path prefix, `/api/v1`; `api('/briefs')` is `/api/v1/briefs`. */
export const API = `/${API_PREFIX}`;
export const api = (path: string): string => `${API}${path}`;

export const OPERATOR = { email: 'operator@efir.test', password: 'operator-password-1' };

// Fixed for tests (a worker process spawned beside the app must decrypt what the app encrypted);
// both are in src/config/published-secrets.ts, so production would refuse them.
export const TEST_SECRETS = {
  JWT_SECRET: 'efir-test-jwt-secret-0123456789abcdef0123',
  WEBHOOK_SECRET_KEY: 'efir-test-webhook-key-0123456789abcdef0123',
  IDEA_HMAC_KEY: 'efir-test-idea-hmac-key-0123456789abcdef0123',
};

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => TestAgent;
  /** A direct connection to this file's database, for assertions and tampering. */
  db: Client;
  mailDir: string;
  storageDir: string;
  /** The database's name: `startApp(…, { database })` boots another app on it (a restart). */
  database: string;
  close: () => Promise<void>;
  /** Stops the app and its connection, keeping the database and queues (for a restart). */
  stop: () => Promise<void>;
}

/**
 * Boots the real application against a fresh clone of the migrated template database and a
 * Redis key prefix of its own, so test files run in parallel without sharing state. With
 * `reuse.database` (another app's `database`, after its `stop()`) it boots on that database
 * instead, as a restart would.
 */
export async function startApp(
  overrides: Env = {},
  options: AppOptions = {},
  reuse: { database?: string } = {},
): Promise<TestApp> {
  const name = reuse.database ?? testDatabaseName('f');
  if (!reuse.database)
    await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`));
  const mailDir = mkdtempSync(join(tmpdir(), 'efir-mail-'));
  const storageDir = mkdtempSync(join(tmpdir(), 'efir-storage-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(name),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `efirtest-${name}`,
    MAIL_DIR: mailDir,
    STORAGE_DIR: storageDir,
    OUTBOX_POLL_MS: '50',
    OPERATOR_EMAIL: OPERATOR.email,
    OPERATOR_PASSWORD: OPERATOR.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...TEST_SECRETS,
    ...overrides,
  });
  const app = await createApp(config, options);
  // Listening on a real port: supertest reuses it, and clients such as tus-js-client need it.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    db,
    mailDir,
    storageDir,
    database: name,
    stop: async () => {
      await app.close();
      await db.end();
      rmSync(mailDir, { recursive: true, force: true });
      rmSync(storageDir, { recursive: true, force: true });
    },
    close: async () => {
      await app.close();
      await db.end();
      await dropQueues(config);
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      rmSync(mailDir, { recursive: true, force: true });
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/** Removes this test's BullMQ keys (perf notes P8: stale job ids would swallow new jobs). */
async function dropQueues(config: AppConfig): Promise<void> {
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.queuePrefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns a value that is not undefined/false, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 10000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(`condition not met within ${ms} ms${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
