import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bearer } from '../factories';
import {
  activeContract,
  createBroadcaster,
  createStudio,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { startS3, type TestS3 } from '../utils/s3';
import { tusUpload } from '../utils/tus';

const MiB = 1024 * 1024;
/** 5 MiB: S3's smallest part, so every PATCH but the last becomes a real multipart part. */
const CHUNK = 5 * MiB;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * The storage driver contract: the same behaviour through the tus endpoint and the download
 * route whichever driver stores the bytes (src/modules/deliverables/storage/storage-driver.ts).
 */
describe.each(['local', 's3'] as const)('Storage driver contract (%s)', (driver) => {
  let s3: TestS3 | null = null;
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  let milestoneId: string;

  beforeAll(async () => {
    if (driver === 's3') s3 = await startS3();
    t = await startApp({
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      ...(s3 ? s3.env : { STORAGE_DRIVER: 'local' }),
    });
    [b, s] = await Promise.all([createBroadcaster(t), createStudio(t)]);
    milestoneId = (await activeContract(t, b, s)).milestones[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  async function register(data: Buffer, kind: string, declaredSha = sha256(data)) {
    const res = await t
      .http()
      .post(`/api/v1/milestones/${milestoneId}/deliverables`)
      .set(...bearer(s.producer))
      .send({
        kind,
        fileName: `${kind}.mov`,
        size: data.length,
        sha256: declaredSha,
        contentType: 'video/quicktime',
      });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return { id: res.body.deliverable.id as string, uploadUrl: res.body.uploadUrl as string };
  }

  const settled = (id: string, expected: 'ready' | 'rejected') =>
    eventually(async () => {
      const { rows } = await t.db.query<{ status: string }>('SELECT status FROM deliverables WHERE id = $1', [
        id,
      ]);
      return rows[0]?.status === expected;
    }, 20000);

  /** The stored object's size, wherever the driver keeps it (named by the deliverable id). */
  const storedSize = async (id: string): Promise<number | null> =>
    s3 ? s3.objectSize(id) : (statSync(join(t.storageDir, id), { throwIfNoEntry: false })?.size ?? null);

  const contentRequest = (id: string) =>
    t
      .http()
      .get(`/api/v1/deliverables/${id}/content`)
      .set(...bearer(b.commissioner))
      .redirects(0);

  /**
   * Downloads through GET /deliverables/{id}/content as a client would: the local driver
   * answers itself; the S3 driver redirects to a presigned URL, fetched with Node's fetch.
   */
  async function fetchContent(
    id: string,
    range?: string,
  ): Promise<{ status: number; body: Buffer; headers: Headers }> {
    let req = contentRequest(id);
    if (range) req = req.set('Range', range);
    const res = await req.buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.headers['cache-control']).toBe('private, no-store');
    if (!s3) {
      expect(res.status).toBe(range ? 206 : 200);
      return {
        status: res.status,
        body: res.body as Buffer,
        headers: new Headers(res.headers),
      };
    }
    expect(res.status).toBe(302);
    const location = res.headers.location as string;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${id}?`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const direct = await fetch(location, range ? { headers: { Range: range } } : {});
    return { status: direct.status, body: Buffer.from(await direct.arrayBuffer()), headers: direct.headers };
  }

  it('stores a 12 MiB file sent in 5 MiB chunks under the deliverable id, verifies it and serves it whole and by range', async () => {
    const data = randomBytes(12 * MiB);
    const { id, uploadUrl } = await register(data, 'programme_master');
    await tusUpload(uploadUrl, s.producer.token, data, { chunkSize: CHUNK });
    await settled(id, 'ready');
    expect(await storedSize(id)).toBe(data.length);
    const { rows } = await t.db.query(
      'SELECT storage_driver, computed_sha256 FROM deliverables WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ storage_driver: driver, computed_sha256: sha256(data) });
    // The multipart upload was completed, not left behind.
    if (s3) expect(await s3.pendingParts(id)).toEqual([]);

    const whole = await fetchContent(id);
    expect(whole.status).toBe(200);
    expect(whole.body.length).toBe(data.length);
    expect(sha256(whole.body)).toBe(sha256(data));
    expect(whole.headers.get('content-type')).toBe('video/quicktime');
    expect(whole.headers.get('content-disposition')).toBe(
      `attachment; filename="programme_master.mov"; filename*=UTF-8''programme_master.mov`,
    );

    const first = await fetchContent(id, 'bytes=0-9');
    expect(first.status).toBe(206);
    expect(first.body.equals(data.subarray(0, 10))).toBe(true);
    expect(first.headers.get('content-range')).toBe(`bytes 0-9/${data.length}`);
    // A range across the boundary between the first two chunks (parts, on S3).
    const across = await fetchContent(id, `bytes=${CHUNK - 8}-${CHUNK + 7}`);
    expect(across.status).toBe(206);
    expect(across.body.equals(data.subarray(CHUNK - 8, CHUNK + 8))).toBe(true);
  });

  it('resumes an upload stopped after its first chunk from the offset the server reports', async () => {
    const data = randomBytes(12 * MiB);
    const { id, uploadUrl } = await register(data, 'rough_cut');
    await expect(
      tusUpload(uploadUrl, s.producer.token, data, { chunkSize: CHUNK, onChunk: () => false }),
    ).rejects.toThrow('aborted');

    const head = await t
      .http()
      .head(new URL(uploadUrl).pathname)
      .set('Tus-Resumable', '1.0.0')
      .set(...bearer(s.producer));
    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(CHUNK));
    expect(head.headers['upload-length']).toBe(String(data.length));
    // On S3 the first chunk is the first part of a multipart upload not completed yet.
    if (s3) expect(await s3.pendingParts(id)).toEqual([CHUNK]);
    expect(await storedSize(id)).toBe(s3 ? null : CHUNK);

    const sent: number[] = [];
    await tusUpload(uploadUrl, s.producer.token, data, {
      chunkSize: CHUNK,
      onChunk: (bytes) => void sent.push(bytes),
    });
    // The client did not send the first chunk again.
    expect(sent).toEqual([2 * CHUNK, data.length]);
    await settled(id, 'ready');
    expect(sha256((await fetchContent(id)).body)).toBe(sha256(data));
  });

  it('rejects a file whose bytes do not match the declared sha256 and does not serve it', async () => {
    const data = randomBytes(MiB);
    const { id, uploadUrl } = await register(data, 'trailer', sha256(randomBytes(16)));
    await tusUpload(uploadUrl, s.producer.token, data, { chunkSize: CHUNK });
    await settled(id, 'rejected');
    const { rows } = await t.db.query('SELECT computed_sha256 FROM deliverables WHERE id = $1', [id]);
    expect(rows[0].computed_sha256).toBe(sha256(data));
    expectProblem(await contentRequest(id), 409, 'DELIVERABLE_NOT_READY');
  });
});
