import { bearer, loginOperator, registerOrganisation } from '../factories';
import { startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';

describe('Operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  describe('GET /metrics', () => {
    it('serves Prometheus text with HTTP histograms, queue depths and the outbox backlog to loopback callers', async () => {
      await t.http().get('/api/v1/health/live').expect(200);
      const res = await t.http().get('/api/v1/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(
        /efir_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/health\/live"/,
      );
      expect(res.text).toMatch(/efir_queue_jobs\{queue="outbox",state="waiting"\} \d+/);
      expect(res.text).toMatch(/efir_outbox_backlog \d+/);
      expect(res.text).toContain('efir_process_cpu_seconds_total');
    });

    it('needs the metrics token when one is configured', async () => {
      const u = await startApp({ METRICS_TOKEN: 'metrics-secret-token', RUN_WORKER: 'false' });
      try {
        expectProblem(await u.http().get('/api/v1/metrics'), 401);
        expectProblem(await u.http().get('/api/v1/metrics').set('Authorization', 'Bearer wrong'), 401);
        await u.http().get('/api/v1/metrics').set('Authorization', 'Bearer metrics-secret-token').expect(200);
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
