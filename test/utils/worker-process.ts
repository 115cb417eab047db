import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { AppConfig, Env } from '../../src/config/env';

const ROOT = resolve(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stdout and stderr, for failure messages. */
  output: () => string;
  /** Sends `signal` unless the process has exited already; resolves when it is gone. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** The variables that make a worker process use the same database, Redis and files as `config`. */
export function workerEnv(config: AppConfig): Env {
  return {
    NODE_ENV: config.nodeEnv,
    DATABASE_URL: config.databaseUrl,
    DATABASE_POOL_SIZE: String(config.databasePoolSize),
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: config.queuePrefix,
    JWT_SECRET: config.jwtSecret,
    WEBHOOK_SECRET_KEY: config.webhookSecretKey ?? '', // webhook secrets are encrypted with it
    KEYS_DIR: config.keysDir,
    STORAGE_DRIVER: config.storageDriver,
    STORAGE_DIR: config.storageDir,
    MAIL_DIR: config.mailDir,
    MAIL_URL: config.mailUrl ?? '',
    MAIL_FROM: config.mailFrom,
    WEBHOOK_RETRY_BASE_SECONDS: String(config.webhookRetryBaseSeconds),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: String(config.webhookAllowPrivateTargets),
    LOG_LEVEL: config.logLevel,
    OUTBOX_POLL_MS: String(config.outbox.pollMs),
    OUTBOX_BATCH_SIZE: String(config.outbox.batchSize),
    OUTBOX_SWEEP_AFTER_SECONDS: String(config.outbox.sweepAfterSeconds),
    OUTBOX_JOB_SIZE: String(config.outbox.jobSize),
    AUDIT_SEQUENCE_INTERVAL_MS: String(config.auditSequenceIntervalMs),
    WORKER_LOCK_DURATION_MS: String(config.worker.lockDurationMs),
    WORKER_STALLED_INTERVAL_MS: String(config.worker.stalledIntervalMs),
  };
}

/**
 * Starts src/worker.ts (outbox relay and BullMQ workers, no HTTP) as a child process with ts-node,
 * configured like `config` plus `overrides`. The caller stops it (`stop()`), also on failure.
 */
export function spawnWorker(config: AppConfig, overrides: Env = {}): WorkerProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TS_NODE_TRANSPILE_ONLY: 'true',
      ...workerEnv(config),
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return {
    child,
    exited,
    output: () => output,
    stop: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
