import { bearer, loginOperator, registerOrganisation } from '../factories';
import { startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

const METRICS_TOKEN = 'metrics-secret-token-for-tests';
const scraper = ['Authorization', `Bearer ${METRICS_TOKEN}`] as const;

describe('Operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ METRICS_TOKEN });
  });
  afterAll(() => t.close());

  describe('GET /metrics', () => {
    it('serves Prometheus text with HTTP histograms, queue depths and the outbox backlog to the scraper', async () => {
      await t.http().get('/api/v1/health/live').expect(200);
      const res = await t
        .http()
        .get('/api/v1/metrics')
        .set(...scraper)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(
        /efir_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/health\/live"/,
      );
      expect(res.text).toMatch(/efir_queue_jobs\{queue="outbox",state="waiting"\} \d+/);
      expect(res.text).toMatch(/efir_outbox_backlog \d+/);
      expect(res.text).toContain('efir_process_cpu_seconds_total');
    });

    it('needs the metrics token, also from loopback (a same-host proxy makes everyone loopback)', async () => {
      expectProblem(await t.http().get('/api/v1/metrics'), 401);
      expectProblem(await t.http().get('/api/v1/metrics').set('Authorization', 'Bearer wrong'), 401);
    });

    it('is refused to everyone on the public port when no token is configured', async () => {
      const u = await startApp({ RUN_WORKER: 'false' });
      try {
        expectProblem(await u.http().get('/api/v1/metrics'), 403);
        expectProblem(await u.http().get('/api/v1/metrics').set('X-Forwarded-For', '127.0.0.1'), 403);
      } finally {
        await u.close();
      }
    });
  });

  describe('the queue dashboard', () => {
    it('is for the platform operator only', async () => {
      expect((await t.http().get('/admin/queues')).status).toBe(401);
      const admin = await registerOrganisation(t, { kind: 'broadcaster' });
      expect(
        (
          await t
            .http()
            .get('/admin/queues')
            .set(...bearer(admin))
        ).status,
      ).toBe(403);
      const operator = await loginOperator(t);
      const ui = await t
        .http()
        .get('/admin/queues')
        .set(...bearer(operator));
      expect(ui.status).toBe(200);
      expect(ui.headers['content-type']).toMatch(/text\/html/);
      const api = await t
        .http()
        .get('/admin/queues/api/queues')
        .set(...bearer(operator))
        .expect(200);
      expect(JSON.stringify(api.body)).toContain('outbox');
    });
  });
});
