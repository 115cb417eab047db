import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type Env } from './env';

function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

// Random per run: a literal here would be a published secret.
const SECRET = randomBytes(32).toString('base64url');
const KEY = randomBytes(32).toString('base64url');
const HMAC_KEY = randomBytes(32).toString('base64url');

describe('loadConfig', () => {
  describe('defaults', () => {
    const config = loadConfig({});

    it('uses the defaults of api.md "Configuration"', () => {
      expect(config.port).toBe(3000);
      expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/efir');
      expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
      expect(config.runWorker).toBe(true);
      expect(config.briefMinBidWindowSeconds).toBe(604800);
      expect(config.briefAmendmentMinNoticeSeconds).toBe(259200);
      expect(config.milestoneReviewDays).toBe(10);
      expect(config.payoutDualApprovalThreshold).toBe(100000000);
      expect(config.storageDriver).toBe('local');
      expect(config.storageDir).toBe('./var/storage');
      expect(config.maxUploadBytes).toBe(200 * 1024 ** 3);
      expect(config.storageQuotaBytesPerOrg).toBe(2 * 1024 ** 4);
      expect(config.webhookRetryBaseSeconds).toBe(30);
      expect(config.webhookAllowPrivateTargets).toBe(false);
      expect(config.mailUrl).toBeNull();
      expect(config.mailDir).toBe('./var/mail');
      expect(config.operatorEmail).toBeNull();
      expect(config.operatorPassword).toBeNull();
    });

    it('treats an empty variable as unset', () => {
      const c = loadConfig({ PORT: '', RUN_WORKER: '', STORAGE_DRIVER: '' });
      expect(c.port).toBe(3000);
      expect(c.runWorker).toBe(true);
      expect(c.storageDriver).toBe('local');
    });
  });

  describe('valid values', () => {
    it('reads the variables it is given', () => {
      const c = loadConfig({
        PORT: '8080',
        RUN_WORKER: 'false',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'efir',
        MAIL_URL: 'smtp://mail.example:25',
        OPERATOR_EMAIL: 'Ops@Efir.test',
        OPERATOR_PASSWORD: 'long-enough-password',
        MAX_UPLOAD_BYTES: '1048576',
      });
      expect(c.port).toBe(8080);
      expect(c.runWorker).toBe(false);
      expect(c.webhookAllowPrivateTargets).toBe(true);
      expect(c.storageDriver).toBe('s3');
      expect(c.s3.bucket).toBe('efir');
      expect(c.mailUrl).toBe('smtp://mail.example:25');
      expect(c.operatorEmail).toBe('ops@efir.test');
      expect(c.maxUploadBytes).toBe(1048576);
    });

    it('requires JWT_SECRET, WEBHOOK_SECRET_KEY, IDEA_HMAC_KEY and SIGNING_KEY_FILE in production only', () => {
      const rest = { IDEA_HMAC_KEY: HMAC_KEY, SIGNING_KEY_FILE: '/etc/efir/signing.pem' };
      expect(configError({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: KEY, ...rest }).variable).toBe(
        'JWT_SECRET',
      );
      expect(configError({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...rest }).variable).toBe(
        'WEBHOOK_SECRET_KEY',
      );
      const base = { NODE_ENV: 'production', JWT_SECRET: SECRET, WEBHOOK_SECRET_KEY: KEY };
      expect(configError({ ...base, SIGNING_KEY_FILE: rest.SIGNING_KEY_FILE }).variable).toBe(
        'IDEA_HMAC_KEY',
      );
      expect(configError({ ...base, IDEA_HMAC_KEY: HMAC_KEY }).variable).toBe('SIGNING_KEY_FILE');
      const c = loadConfig({ ...base, ...rest });
      expect(c.jwtSecret).toBe(SECRET);
      expect(c.webhookSecretKey).toBe(KEY);
      expect(c.ideaHmacKey).toBe(HMAC_KEY);
      expect(c.signingKeyFile).toBe(rest.SIGNING_KEY_FILE);
      expect(loadConfig({}).ideas).toEqual({
        minFormSeconds: 4,
        submissionsPerIpPerHour: 5,
        voteRequestsPerIpPerHour: 30,
        voteTokenTtlSeconds: 172800,
      });
      expect(c.generatedSecrets).toEqual([]);
    });

    it('reads the OCDS prefix and the local-content targets, refusing malformed ones', () => {
      const c = loadConfig({ OCDS_OCID_PREFIX: 'ocds-abc123', LOCAL_CONTENT_TARGETS: '2025:0.5, 2027:0.6' });
      expect(c.ocds.ocidPrefix).toBe('ocds-abc123');
      expect([...c.localContentTargets]).toEqual([
        [2025, 0.5],
        [2027, 0.6],
      ]);
      expect([...loadConfig({}).localContentTargets]).toEqual([
        [2025, 0.55],
        [2026, 0.55],
        [2027, 0.6],
      ]);
      for (const bad of ['ocds-ABC123', 'ocds-abc12', 'abc123']) {
        expect(configError({ OCDS_OCID_PREFIX: bad }).variable).toBe('OCDS_OCID_PREFIX');
      }
      for (const bad of ['2025:1.5', '2025:0', '2025', '2025:0.5,2025:0.6', 'x:0.5']) {
        expect(configError({ LOCAL_CONTENT_TARGETS: bad }).variable).toBe('LOCAL_CONTENT_TARGETS');
      }
    });

    it('refuses the same value for JWT_SECRET and WEBHOOK_SECRET_KEY', () => {
      expect(configError({ JWT_SECRET: SECRET, WEBHOOK_SECRET_KEY: SECRET }).variable).toBe(
        'WEBHOOK_SECRET_KEY',
      );
    });

    it('makes up a random JWT secret per process outside production, and says so', () => {
      const a = loadConfig({});
      const b = loadConfig({});
      expect(a.generatedSecrets).toEqual(['JWT_SECRET']);
      expect(Buffer.byteLength(a.jwtSecret)).toBeGreaterThanOrEqual(32);
      expect(a.jwtSecret).not.toBe(b.jwtSecret);
      expect(a.webhookSecretKey).toBeNull();
    });

    it.each([
      ['off', false],
      ['false', false],
      ['2', 2],
      ['10.0.0.1', ['10.0.0.1']],
      ['10.0.0.0/8, fd00::/8', ['10.0.0.0/8', 'fd00::/8']],
    ] as const)('reads TRUST_PROXY=%s', (raw, expected) => {
      expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
    });
  });

  describe('invalid values', () => {
    const cases: [string, Env][] = [
      ['PORT', { PORT: 'abc' }],
      ['PORT', { PORT: '70000' }],
      ['PORT', { PORT: '-1' }],
      ['RUN_WORKER', { RUN_WORKER: 'maybe' }],
      ['DATABASE_URL', { DATABASE_URL: 'http://x' }],
      ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
      ['REDIS_URL', { REDIS_URL: 'nonsense' }],
      ['STORAGE_DRIVER', { STORAGE_DRIVER: 'ftp' }],
      ['S3_BUCKET', { STORAGE_DRIVER: 's3' }],
      ['OPERATOR_PASSWORD', { OPERATOR_EMAIL: 'ops@efir.test' }],
      ['OPERATOR_EMAIL', { OPERATOR_PASSWORD: 'long-enough-password' }],
      ['OPERATOR_EMAIL', { OPERATOR_EMAIL: 'not-an-email', OPERATOR_PASSWORD: 'long-enough-password' }],
      ['MAIL_URL', { MAIL_URL: 'http://x' }],
      ['MAX_UPLOAD_BYTES', { MAX_UPLOAD_BYTES: '-1' }],
      ['MAX_UPLOAD_BYTES', { MAX_UPLOAD_BYTES: '0' }],
      ['WEBHOOK_ALLOW_PRIVATE_TARGETS', { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'sometimes' }],
      ['MILESTONE_REVIEW_DAYS', { MILESTONE_REVIEW_DAYS: '1.5' }],
      ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
      ['WEBHOOK_SECRET_KEY', { WEBHOOK_SECRET_KEY: 'too-short' }],
      ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
      ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
      ['TRUST_PROXY', { TRUST_PROXY: 'proxy.internal' }],
      ['TRUST_PROXY', { TRUST_PROXY: '99' }],
      [
        'LOGIN_RATE_LIMIT_ACCOUNT_CEILING',
        { LOGIN_RATE_LIMIT_PER_ACCOUNT: '10', LOGIN_RATE_LIMIT_ACCOUNT_CEILING: '5' },
      ],
    ];

    it.each(cases)('names %s in the error for %j', (variable, env) => {
      const err = configError(env);
      expect(err.variable).toBe(variable);
      expect(err.message).toContain(variable);
    });
  });
});
