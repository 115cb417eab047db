import { createHash, randomBytes } from 'node:crypto';
import { bearer } from '../factories';
import {
  activeContract,
  createBroadcaster,
  createStudio,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { eventually, startApp, type TestApp } from '../utils/app';
import { tusUpload } from '../utils/tus';

describe('Delivery, end to end', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    b = await createBroadcaster(t);
    s = await createStudio(t, { genres: ['documentary'] });
  });
  afterAll(() => t.close());

  it('uploads a deliverable over tus, verifies it, and takes the milestone through review', async () => {
    const { milestones } = await activeContract(t, b, s);
    const milestone = milestones[0]!;
    const data = randomBytes(700 * 1024);
    const reg = await t
      .http()
      .post(`/api/v1/milestones/${milestone.id}/deliverables`)
      .set(...bearer(s.producer))
      .send({
        kind: 'script',
        fileName: 'ep01 script.pdf',
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        contentType: 'application/pdf',
      });
    expect(reg.status).toBe(201);
    expect(reg.body.deliverable.status).toBe('uploading');

    await tusUpload(reg.body.uploadUrl, s.producer.token, data);
    await eventually(async () => {
      const list = await t
        .http()
        .get(`/api/v1/milestones/${milestone.id}/deliverables`)
        .set(...bearer(b.commissioner));
      return list.body.items[0]?.status === 'ready';
    });

    const ranged = await t
      .http()
      .get(`/api/v1/deliverables/${reg.body.deliverable.id}/content`)
      .set(...bearer(b.commissioner))
      .set('Range', 'bytes=100-199')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(ranged.status).toBe(206);
    expect(Buffer.compare(ranged.body as Buffer, data.subarray(100, 200))).toBe(0);

    await t
      .http()
      .post(`/api/v1/milestones/${milestone.id}/submit`)
      .set(...bearer(s.producer))
      .expect(200);
    const accepted = await t
      .http()
      .post(`/api/v1/milestones/${milestone.id}/accept`)
      .set(...bearer(b.commissioner));
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
  });
});
