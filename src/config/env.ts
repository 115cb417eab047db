import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { isPublishedSecret } from './published-secrets';

// The one place that reads the environment. Every configuration variable (the README lists
// them) is parsed here, and a bad value stops the start with a message
// naming the variable.

export type Env = Record<string, string | undefined>;

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  /** BullMQ key prefix: lets tests and several deployments share one Redis. */
  queuePrefix: string;
  jwtSecret: string;
  /**
   * Key material for the encryption of stored webhook secrets (WEBHOOK_SECRET_KEY); null outside
   * production when unset: the webhooks service then keeps a generated key under ./var/keys.
   */
  webhookSecretKey: string | null;
  /**
   * PEM PKCS#8 Ed25519 key that signs idea receipts and audit tree heads (SIGNING_KEY_FILE);
   * null outside production when unset: a key is generated under KEYS_DIR.
   */
  signingKeyFile: string | null;
  /**
   * Key of the HMACs that stand in for e-mail and client addresses (vote and report uniqueness,
   * rate-limit keys, form tokens) (IDEA_HMAC_KEY); null outside production when unset: a
   * development key in KEYS_DIR.
   */
  ideaHmacKey: string | null;
  /** The public web address links in e-mails point to (PUBLIC_WEB_URL). */
  publicWebUrl: string;
  /**
   * Technical QC of video deliverables: parallel analyses per worker process (QC_CONCURRENCY)
   * and the time limit of one analysis, as a multiple of the file's duration plus 60 s
   * (QC_TIMEOUT_FACTOR).
   */
  qc: { concurrency: number; timeoutFactor: number };
  /** OCDS publication (OCDS_*): the ocid prefix and the release packages' publisher. */
  ocds: {
    ocidPrefix: string;
    publisherName: string;
    publisherBin: string | null;
    licenseUrl: string;
    policyUrl: string | null;
  };
  /** Kazakh-language share targets by year (LOCAL_CONTENT_TARGETS `2025:0.55,…`). */
  localContentTargets: ReadonlyMap<number, number>;
  ideas: {
    minFormSeconds: number;
    submissionsPerIpPerHour: number;
    voteRequestsPerIpPerHour: number;
    voteTokenTtlSeconds: number;
  };
  /** Where development keys are kept when not configured (KEYS_DIR). */
  keysDir: string;
  /** Secrets this process made up because they were unset (outside production); warned at start. */
  generatedSecrets: string[];
  /** Browser origins allowed to call the upload endpoint cross-origin (CORS_ORIGINS); none by default. */
  corsOrigins: string[];
  /** Fastify's trustProxy: false, a hop count, or the addresses/CIDRs of trusted proxies. */
  trustProxy: false | number | string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  operatorEmail: string | null;
  operatorPassword: string | null;
  runWorker: boolean;
  briefMinBidWindowSeconds: number;
  briefAmendmentMinNoticeSeconds: number;
  milestoneReviewDays: number;
  invoiceReminderDays: number;
  payoutDualApprovalThreshold: number;
  storageDriver: 'local' | 's3';
  storageDir: string;
  s3: {
    endpoint: string | null;
    bucket: string | null;
    region: string;
    accessKeyId: string | null;
    secretAccessKey: string | null;
  };
  maxUploadBytes: number;
  storageQuotaBytesPerOrg: number;
  mailUrl: string | null;
  mailFrom: string;
  mailDir: string;
  webhookRetryBaseSeconds: number;
  webhookAllowPrivateTargets: boolean;
  /** Bearer token for GET /metrics on the public port (unset: loopback callers only). */
  metricsToken: string | null;
  /** An internal port serving /metrics to anyone who reaches it (unset: none). */
  metricsPort: number | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * perIp: credential requests per client address; perAccount: failed logins per (account,
   * address); accountCeiling: failed logins per account across all addresses, past which only
   * addresses that have failed are slowed (and the owner is told).
   */
  loginRateLimit: { perIp: number; perAccount: number; accountCeiling: number; windowSeconds: number };
  outbox: { pollMs: number; sweepAfterSeconds: number; batchSize: number; jobSize: number };
  /** How often the audit sequencer integrates committed events into the Merkle tree and signs a head. */
  auditSequenceIntervalMs: number;
  /** BullMQ worker lock and stalled-job check (a killed worker's jobs return after about both). */
  worker: { lockDurationMs: number; stalledIntervalMs: number };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function optional(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v === '' ? null : v;
}

function int(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const v = Number(raw.trim());
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${raw}`);
  }
  return v;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = str(env, name, fallback);
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, fallback: string | null, protocols: string[]): string | null {
  const raw = fallback === null ? optional(env, name) : str(env, name, fallback);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function email(env: Env, name: string): string | null {
  const v = optional(env, name);
  if (v !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v))
    throw new ConfigError(name, 'must be an e-mail address');
  return v?.toLowerCase() ?? null;
}

function loginRateLimit(env: Env): AppConfig['loginRateLimit'] {
  const perAccount = int(env, 'LOGIN_RATE_LIMIT_PER_ACCOUNT', 10, 1, 100);
  return {
    perIp: int(env, 'LOGIN_RATE_LIMIT_PER_IP', 30, 1),
    perAccount,
    accountCeiling: int(env, 'LOGIN_RATE_LIMIT_ACCOUNT_CEILING', Math.max(100, perAccount * 10), perAccount),
    windowSeconds: int(env, 'LOGIN_RATE_LIMIT_WINDOW_SECONDS', 900, 1),
  };
}

/**
 * A secret of at least 32 bytes. Production requires it and refuses one that was ever published
 * in this repository (an example anyone can read mints tokens); elsewhere an unset one is null.
 */
function secret(env: Env, name: string, production: boolean): string | null {
  const v = optional(env, name);
  if (v === null) {
    if (production) throw new ConfigError(name, 'is required when NODE_ENV=production');
    return null;
  }
  if (Buffer.byteLength(v) < 32) throw new ConfigError(name, 'must be at least 32 bytes long');
  if (production && isPublishedSecret(v)) {
    throw new ConfigError(
      name,
      'is a value published in the Efir repository; generate one (openssl rand -base64 48)',
    );
  }
  return v;
}

/**
 * The OCDS ocid prefix (`ocds-` and six letters or digits, registered with the Open Contracting
 * Partnership). The default is a placeholder for development: register one before publishing.
 */
function ocidPrefix(env: Env): string {
  const v = str(env, 'OCDS_OCID_PREFIX', 'ocds-efirkz');
  if (!/^ocds-[a-z0-9]{6}$/.test(v))
    throw new ConfigError('OCDS_OCID_PREFIX', 'must match ^ocds-[a-z0-9]{6}$');
  return v;
}

/** `year:share` pairs, e.g. `2025:0.55,2027:0.60`; each share in (0, 1]. */
function yearShares(env: Env, name: string, fallback: string): ReadonlyMap<number, number> {
  const raw = optional(env, name) ?? fallback;
  const out = new Map<number, number>();
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{4}):(0(?:\.\d+)?|1(?:\.0+)?)$/.exec(part);
    const share = m ? Number(m[2]) : NaN;
    if (!m || !(share > 0) || out.has(Number(m[1]))) {
      throw new ConfigError(name, `must be year:share pairs with shares in (0, 1], e.g. ${fallback}`);
    }
    out.set(Number(m[1]), share);
  }
  return out;
}

/** A comma-separated list of origins (`https://app.example`), each a scheme, host and optional port. */
function origins(env: Env, name: string): string[] {
  const raw = optional(env, name);
  if (raw === null) return [];
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    let parsed: URL | null = null;
    try {
      parsed = new URL(value);
    } catch {
      parsed = null;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== value) {
      throw new ConfigError(name, `must list origins such as https://app.example, got "${value}"`);
    }
    return value;
  });
}

/** TRUST_PROXY: unset/false (the socket address is the client), a hop count, or a list of proxies. */
function trustProxy(env: Env): false | number | string[] {
  const raw = optional(env, 'TRUST_PROXY')?.trim();
  if (raw === undefined || ['false', 'off', 'no', '0'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 1, 20);
  const entries = raw.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length) {
      throw new ConfigError(
        'TRUST_PROXY',
        `must be a hop count or a comma-separated list of proxy addresses or CIDRs, got "${entry}"`,
      );
    }
  }
  return entries;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', 'development', ['development', 'test', 'production'] as const);
  const production = nodeEnv === 'production';
  const generatedSecrets: string[] = [];
  let jwtSecret = secret(env, 'JWT_SECRET', production);
  if (jwtSecret === null) {
    // Never a fixed development secret: a forgotten development deployment would accept tokens
    // minted by anyone who read the code. Tokens die with the process.
    jwtSecret = randomBytes(48).toString('base64url');
    generatedSecrets.push('JWT_SECRET');
  }
  const webhookSecretKey = secret(env, 'WEBHOOK_SECRET_KEY', production);
  if (webhookSecretKey !== null && webhookSecretKey === jwtSecret) {
    throw new ConfigError('WEBHOOK_SECRET_KEY', 'must differ from JWT_SECRET (each is rotated on its own)');
  }
  const ideaHmacKey = secret(env, 'IDEA_HMAC_KEY', production);
  const signingKeyFile = optional(env, 'SIGNING_KEY_FILE');
  if (signingKeyFile === null && production) {
    throw new ConfigError('SIGNING_KEY_FILE', 'is required when NODE_ENV=production');
  }
  const operatorEmail = email(env, 'OPERATOR_EMAIL');
  const operatorPassword = optional(env, 'OPERATOR_PASSWORD');
  if ((operatorEmail === null) !== (operatorPassword === null)) {
    throw new ConfigError(
      operatorEmail === null ? 'OPERATOR_EMAIL' : 'OPERATOR_PASSWORD',
      'must be set together with the other',
    );
  }
  if (operatorPassword !== null && operatorPassword.length < 12) {
    throw new ConfigError('OPERATOR_PASSWORD', 'must be at least 12 characters long');
  }
  const storageDriver = oneOf(env, 'STORAGE_DRIVER', 'local', ['local', 's3'] as const);
  const s3 = {
    endpoint: url(env, 'S3_ENDPOINT', null, ['http:', 'https:']),
    bucket: optional(env, 'S3_BUCKET'),
    region: str(env, 'S3_REGION', 'us-east-1'),
    accessKeyId: optional(env, 'S3_ACCESS_KEY_ID'),
    secretAccessKey: optional(env, 'S3_SECRET_ACCESS_KEY'),
  };
  if (storageDriver === 's3' && s3.bucket === null) {
    throw new ConfigError('S3_BUCKET', 'is required when STORAGE_DRIVER=s3');
  }

  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/efir', [
      'postgres:',
      'postgresql:',
    ]) as string,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']) as string,
    queuePrefix: str(env, 'QUEUE_PREFIX', 'efir'),
    jwtSecret,
    webhookSecretKey,
    keysDir: str(env, 'KEYS_DIR', './var/keys'),
    signingKeyFile,
    ideaHmacKey,
    publicWebUrl: url(env, 'PUBLIC_WEB_URL', 'http://localhost:3000', ['http:', 'https:']) as string,
    qc: {
      concurrency: int(env, 'QC_CONCURRENCY', 1, 1, 64),
      timeoutFactor: int(env, 'QC_TIMEOUT_FACTOR', 2, 1, 100),
    },
    ocds: {
      ocidPrefix: ocidPrefix(env),
      publisherName: str(env, 'OCDS_PUBLISHER_NAME', 'Efir'),
      publisherBin: optional(env, 'OCDS_PUBLISHER_BIN'),
      licenseUrl: url(env, 'OCDS_LICENSE_URL', 'https://creativecommons.org/licenses/by/4.0/', [
        'http:',
        'https:',
      ]) as string,
      policyUrl: url(env, 'OCDS_POLICY_URL', null, ['http:', 'https:']),
    },
    localContentTargets: yearShares(env, 'LOCAL_CONTENT_TARGETS', '2025:0.55,2026:0.55,2027:0.60'),
    ideas: {
      minFormSeconds: int(env, 'IDEA_MIN_FORM_SECONDS', 4, 0, 3600),
      submissionsPerIpPerHour: int(env, 'IDEA_SUBMISSIONS_PER_IP_PER_HOUR', 5, 1, 100000),
      voteRequestsPerIpPerHour: int(env, 'VOTE_REQUESTS_PER_IP_PER_HOUR', 30, 1, 100000),
      voteTokenTtlSeconds: int(env, 'VOTE_TOKEN_TTL_SECONDS', 172800, 1, 30 * 86400),
    },
    generatedSecrets,
    trustProxy: trustProxy(env),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 1, 900),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 60),
    operatorEmail,
    operatorPassword,
    runWorker: bool(env, 'RUN_WORKER', true),
    briefMinBidWindowSeconds: int(env, 'BRIEF_MIN_BID_WINDOW_SECONDS', 604800, 0),
    briefAmendmentMinNoticeSeconds: int(env, 'BRIEF_AMENDMENT_MIN_NOTICE_SECONDS', 259200, 0),
    // 0 escalates at once (useful in tests and demos).
    milestoneReviewDays: int(env, 'MILESTONE_REVIEW_DAYS', 10, 0, 3650),
    invoiceReminderDays: int(env, 'INVOICE_REMINDER_DAYS', 30, 0, 3650),
    payoutDualApprovalThreshold: int(env, 'PAYOUT_DUAL_APPROVAL_THRESHOLD', 100000000, 0),
    storageDriver,
    storageDir: str(env, 'STORAGE_DIR', './var/storage'),
    s3,
    maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', 200 * 1024 ** 3, 1),
    storageQuotaBytesPerOrg: int(env, 'STORAGE_QUOTA_BYTES_PER_ORG', 2 * 1024 ** 4, 1),
    mailUrl: url(env, 'MAIL_URL', null, ['smtp:', 'smtps:']),
    mailFrom: str(env, 'MAIL_FROM', 'Efir <no-reply@efir.local>'),
    mailDir: str(env, 'MAIL_DIR', './var/mail'),
    webhookRetryBaseSeconds: int(env, 'WEBHOOK_RETRY_BASE_SECONDS', 30, 1, 86400),
    webhookAllowPrivateTargets: bool(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
    metricsToken: optional(env, 'METRICS_TOKEN'),
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 1, 65535) : null,
    logLevel: oneOf(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
    loginRateLimit: loginRateLimit(env),
    outbox: {
      // An idle relay asks every 50 ms (one index probe); under a write rush a longer pause left
      // about 40 events waiting per tick (bench/README.md, "Outbox pipeline").
      pollMs: int(env, 'OUTBOX_POLL_MS', 50, 10, 60000),
      // Longer than a job's whole retry schedule (8 attempts, ~4 min), so a job still retrying is
      // not published a second time.
      sweepAfterSeconds: int(env, 'OUTBOX_SWEEP_AFTER_SECONDS', 600, 1),
      batchSize: int(env, 'OUTBOX_BATCH_SIZE', 200, 1, 5000),
      // Events per outbox-queue job: a relay batch of 200 becomes 10 jobs for 10 workers.
      jobSize: int(env, 'OUTBOX_JOB_SIZE', 20, 1, 1000),
    },
    auditSequenceIntervalMs: int(env, 'AUDIT_SEQUENCE_INTERVAL_MS', 200, 10, 60000),
    // BullMQ's defaults. The lock is renewed every half lockDuration; a job whose lock lapsed (its
    // worker died) goes back to waiting at the second stalled check that finds it so.
    worker: {
      lockDurationMs: int(env, 'WORKER_LOCK_DURATION_MS', 30000, 1000, 86400000),
      stalledIntervalMs: int(env, 'WORKER_STALLED_INTERVAL_MS', 30000, 100, 86400000),
    },
  };
}
