import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import type { Response } from 'supertest';
import { bearer, type Actor } from '../factories';
import {
  activeContract,
  briefBody,
  createBroadcaster,
  createStudio,
  publishBrief,
  submitBid,
  waitUntilPast,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { eventually, startApp, type TestApp } from '../utils/app';
import { expectProblem } from '../utils/expect';
import { waitForNotification } from '../utils/notifications';
import { tusUpload } from '../utils/tus';

const MiB = 1024 * 1024;
const MAX_UPLOAD_BYTES = MiB;
const QUOTA = 2 * MiB;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('Deliverable uploads (local storage)', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  /** A second studio: its own quota, and "another studio" to everyone else's files. */
  let q: Studio;
  /** A broadcaster with no contract with either studio. */
  let outsider: Broadcaster;
  let m: string[];
  let qm: string[];
  let draftMilestone: string;

  beforeAll(async () => {
    t = await startApp({
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      STORAGE_QUOTA_BYTES_PER_ORG: String(QUOTA),
    });
    [b, s, q, outsider] = await Promise.all([
      createBroadcaster(t),
      createStudio(t),
      createStudio(t),
      createBroadcaster(t),
    ]);
    // The three contracts wait for their bid windows together.
    const [main, quota, draft] = await Promise.all([
      activeContract(t, b, s),
      activeContract(t, b, q),
      draftContract(b, s),
    ]);
    m = main.milestones.map((x) => x.id);
    qm = quota.milestones.map((x) => x.id);
    draftMilestone = draft;
  });
  afterAll(() => t.close());

  /** An awarded but unsigned (draft) contract; returns its first milestone. */
  async function draftContract(by: Broadcaster, studio: Studio): Promise<string> {
    const body = briefBody({ closesIn: 2, questionsIn: 1 });
    const briefId = await publishBrief(t, by.commissioner, body);
    const bid = await submitBid(t, studio.producer, briefId);
    await waitUntilPast(t, body.bidsCloseAt as string);
    const award = await t
      .http()
      .post(`/api/v1/briefs/${briefId}/award`)
      .set(...bearer(by.commissioner))
      .send({ bidId: bid.id })
      .expect(201);
    const contract = await t
      .http()
      .get(`/api/v1/contracts/${award.body.contractId}`)
      .set(...bearer(by.commissioner))
      .expect(200);
    expect(contract.body.status).toBe('draft');
    return contract.body.milestones[0].id as string;
  }

  const fileBody = (data: Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    kind: 'script',
    fileName: 'ep01.pdf',
    size: data.length,
    sha256: sha256(data),
    contentType: 'application/pdf',
    ...extra,
  });

  const register = (by: Actor, milestoneId: string, body: Record<string, unknown>) =>
    t
      .http()
      .post(`/api/v1/milestones/${milestoneId}/deliverables`)
      .set(...bearer(by))
      .send(body);

  /** Registers a file and returns its id and tus upload URL (fails the test otherwise). */
  async function registered(
    by: Actor,
    milestoneId: string,
    data: Buffer,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; uploadUrl: string; path: string }> {
    const res = await register(by, milestoneId, fileBody(data, extra));
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    const uploadUrl = res.body.uploadUrl as string;
    return { id: res.body.deliverable.id, uploadUrl, path: new URL(uploadUrl).pathname };
  }

  const status = async (id: string): Promise<string> => {
    const { rows } = await t.db.query<{ status: string }>('SELECT status FROM deliverables WHERE id = $1', [
      id,
    ]);
    return rows[0]!.status;
  };
  // Verification goes through the outbox and a BullMQ worker: allow for a busy machine.
  const settled = (id: string, expected: 'ready' | 'rejected') =>
    eventually(async () => (await status(id)) === expected, 20000);

  /** Registers, uploads with the real tus client and waits until the file is verified. */
  async function readyFile(
    by: Actor,
    milestoneId: string,
    data: Buffer,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const { id, uploadUrl } = await registered(by, milestoneId, data, extra);
    await tusUpload(uploadUrl, by.token, data, { chunkSize: 64 * 1024 });
    await settled(id, 'ready');
    return id;
  }

  /** Waits for `by`'s in-app notification of `type` about deliverable `id`. */
  const notified = (by: Actor, type: string, id: string) =>
    waitForNotification(t, by, type, { deliverableId: id }, 20000);

  /** GET with the body collected as bytes, whatever the content type. */
  const download = (by: Actor | null, id: string, range?: string) => {
    let req = t.http().get(`/api/v1/deliverables/${id}/content`);
    if (by) req = req.set(...bearer(by));
    if (range) req = req.set('Range', range);
    return req.buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  };
  /** A problem+json check for responses read as bytes by `download`. */
  const asJson = (res: Response): Response =>
    Object.assign(res, { body: JSON.parse((res.body as Buffer).toString('utf8')) as unknown });

  const tusHead = (path: string, by: Actor | null) => {
    const req = t.http().head(path).set('Tus-Resumable', '1.0.0');
    return by ? req.set(...bearer(by)) : req;
  };
  const tusPatch = (path: string, by: Actor | null, offset: number, bytes: Buffer) => {
    const req = t
      .http()
      .patch(path)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', String(offset))
      .set('Content-Type', 'application/offset+octet-stream');
    return (by ? req.set(...bearer(by)) : req).send(bytes);
  };
  /** A PATCH sent with Transfer-Encoding: chunked, so the server cannot know its length up front. */
  const chunkedPatch = async (path: string, by: Actor, bytes: Buffer): Promise<{ status: number }> => {
    const url = new URL(path, await t.app.getUrl());
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = httpRequest(
        url,
        {
          method: 'PATCH',
          headers: {
            Authorization: `Bearer ${by.token}`,
            'Tus-Resumable': '1.0.0',
            'Upload-Offset': '0',
            'Content-Type': 'application/offset+octet-stream',
          },
        },
        (res) => {
          answered = true;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        },
      );
      // The server may answer and close before reading everything: only an error without an
      // answer fails the request.
      req.on('error', (err) => (answered ? undefined : reject(err)));
      for (let i = 0; i < bytes.length; i += 16 * 1024) req.write(bytes.subarray(i, i + 16 * 1024));
      req.end();
    });
  };
  const storedSize = (id: string): number => {
    const file = join(t.storageDir, id);
    return existsSync(file) ? statSync(file).size : 0;
  };

  describe('POST /milestones/{id}/deliverables', () => {
    it('registers a file for the studio producer and admin and returns its tus upload URL', async () => {
      const data = randomBytes(1000);
      const res = await register(
        s.producer,
        m[0]!,
        fileBody(data, { kind: 'trailer', fileName: 'teaser.mov' }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        deliverable: {
          id: expect.stringMatching(UUID),
          milestoneId: m[0],
          kind: 'trailer',
          fileName: 'teaser.mov',
          size: 1000,
          sha256: sha256(data),
          contentType: 'application/pdf',
          version: 1,
          status: 'uploading',
          qc: null,
          createdAt: expect.any(String),
        },
        uploadUrl: `${await t.app.getUrl()}/api/v1/uploads/${res.body.deliverable.id}`,
      });

      const byAdmin = await register(
        s.admin,
        m[0]!,
        fileBody(data, { kind: 'subtitles', fileName: 'kk.srt' }),
      );
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body.deliverable).toMatchObject({ kind: 'subtitles', status: 'uploading', version: 1 });
    });

    it('refuses a file larger than MAX_UPLOAD_BYTES with 413 before any byte is sent', async () => {
      const before = await t.db.query('SELECT id FROM deliverables');
      const res = await register(s.producer, m[0]!, {
        ...fileBody(randomBytes(10)),
        size: MAX_UPLOAD_BYTES + 1,
      });
      expectProblem(res, 413, 'UPLOAD_TOO_LARGE');
      expect((await t.db.query('SELECT id FROM deliverables')).rowCount).toBe(before.rowCount);
    });

    it("refuses a file past the organisation's storage quota with 413, and neither a refused nor a rejected file counts", async () => {
      const countOf = async () =>
        Number(
          (
            await t.db.query<{ n: string }>('SELECT count(*) AS n FROM deliverables WHERE studio_id = $1', [
              q.admin.organisationId,
            ])
          ).rows[0]!.n,
        );
      const bad = randomBytes(MiB);
      // Exactly MAX_UPLOAD_BYTES each; the two fill the 2 MiB quota exactly (still allowed).
      const first = await registered(q.producer, qm[0]!, bad, { sha256: sha256(randomBytes(8)) });
      await registered(q.producer, qm[0]!, randomBytes(MiB), { kind: 'rough_cut' });

      const over = await register(q.producer, qm[0]!, fileBody(randomBytes(1), { kind: 'other' }));
      expectProblem(over, 413, 'STORAGE_QUOTA_EXCEEDED');
      expect(await countOf()).toBe(2);

      // The first file fails its checksum: rejected files free their quota.
      await tusUpload(first.uploadUrl, q.producer.token, bad);
      await settled(first.id, 'rejected');
      const after = await register(q.producer, qm[0]!, fileBody(randomBytes(MiB), { kind: 'other' }));
      expect(after.status).toBe(201);
      const full = await register(q.producer, qm[0]!, fileBody(randomBytes(1), { kind: 'artwork' }));
      expectProblem(full, 413, 'STORAGE_QUOTA_EXCEEDED');
      expect(await countOf()).toBe(3);
    });

    it.each([
      ['a sha256 that is not 64 hex characters', { sha256: 'abc123' }],
      ['an unknown kind', { kind: 'master' }],
      ['a content type that is not a media type', { contentType: 'pdf file' }],
      ['a size of 0', { size: 0 }],
      ['a negative size', { size: -1 }],
      ['an empty file name', { fileName: '  ' }],
    ])('answers 400 to %s', async (_label, patch) => {
      const res = await register(s.producer, m[0]!, { ...fileBody(randomBytes(10)), ...patch });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it("refuses the broadcaster's users and the studio's finance with 403", async () => {
      const body = fileBody(randomBytes(10), { kind: 'other' });
      for (const who of [b.commissioner, b.admin, b.finance, s.finance]) {
        expectProblem(await register(who, m[0]!, body), 403);
      }
    });

    it('answers 404 to another studio and to a broadcaster outside the contract', async () => {
      const body = fileBody(randomBytes(10), { kind: 'other' });
      expectProblem(await register(q.producer, m[0]!, body), 404);
      expectProblem(await register(outsider.admin, m[0]!, body), 404);
      expectProblem(await register(s.producer, '00000000-0000-4000-8000-000000000000', body), 404);
    });

    it('answers 409 on a contract that is not signed yet', async () => {
      const res = await register(s.producer, draftMilestone, fileBody(randomBytes(10)));
      expectProblem(res, 409, 'CONTRACT_STATE_CONFLICT');
    });

    it('keeps only the base name of a path-like file name and stores the file under the deliverable id', async () => {
      const data = randomBytes(2000);
      const { id, uploadUrl } = await registered(s.producer, m[0]!, data, {
        kind: 'artwork',
        fileName: '../../etc/passwd',
      });
      await tusUpload(uploadUrl, s.producer.token, data);
      await settled(id, 'ready');

      const list = await t
        .http()
        .get(`/api/v1/milestones/${m[0]}/deliverables`)
        .set(...bearer(s.producer))
        .expect(200);
      expect(list.body.items.find((d: { id: string }) => d.id === id).fileName).toBe('passwd');
      // Everything the store wrote is named by a deliverable id, inside STORAGE_DIR.
      const entries = readdirSync(t.storageDir);
      expect(entries).toContain(id);
      for (const entry of entries) expect(entry).toMatch(/^[0-9a-f-]{36}(\.json)?$/);
      expect(readFileSync(join(t.storageDir, id)).equals(data)).toBe(true);
      expect(existsSync(join(dirname(t.storageDir), 'passwd'))).toBe(false);
      const res = await download(b.commissioner, id);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="passwd"; filename*=UTF-8''passwd`,
      );
    });
  });

  describe('tus /uploads/{id}', () => {
    it("uploads with the real tus client; the file becomes 'ready' and the studio is notified", async () => {
      const data = randomBytes(300 * 1024);
      const { id, uploadUrl } = await registered(s.producer, m[1]!, data, { kind: 'script' });
      await tusUpload(uploadUrl, s.producer.token, data, { chunkSize: 100 * 1024 });
      await settled(id, 'ready');
      expect(sha256(readFileSync(join(t.storageDir, id)))).toBe(sha256(data));
      for (const who of [s.producer, s.admin]) {
        await notified(who, 'deliverable.ready', id);
      }
    });

    it('resumes an interrupted upload from the offset the server reports', async () => {
      const data = randomBytes(256 * 1024);
      const chunk = 64 * 1024;
      const { id, uploadUrl, path } = await registered(s.producer, m[1]!, data, { kind: 'subtitles' });
      await expect(
        tusUpload(uploadUrl, s.producer.token, data, { chunkSize: chunk, onChunk: () => false }),
      ).rejects.toThrow('aborted');

      const head = await tusHead(path, s.producer);
      expect(head.status).toBe(200);
      expect(head.headers['upload-offset']).toBe(String(chunk));
      expect(head.headers['upload-length']).toBe(String(data.length));
      expect(head.headers['cache-control']).toBe('no-store');
      expect(await status(id)).toBe('uploading');

      const offsets: number[] = [];
      await tusUpload(uploadUrl, s.producer.token, data, {
        chunkSize: chunk,
        onChunk: (sent) => void offsets.push(sent),
      });
      // The client resumed at the server's offset: it did not send the first chunk again.
      expect(offsets).toEqual([2 * chunk, 3 * chunk, 4 * chunk]);
      await settled(id, 'ready');
      expect(readFileSync(join(t.storageDir, id)).equals(data)).toBe(true);
    });

    it('rejects a file whose bytes do not match the declared sha256, notifies the studio, and does not serve it', async () => {
      const data = randomBytes(50 * 1024);
      const { id, uploadUrl } = await registered(s.producer, m[1]!, data, {
        kind: 'other',
        sha256: sha256(Buffer.from('something else')),
      });
      await tusUpload(uploadUrl, s.producer.token, data);
      await settled(id, 'rejected');
      await notified(s.producer, 'deliverable.rejected', id);
      const { rows } = await t.db.query('SELECT computed_sha256 FROM deliverables WHERE id = $1', [id]);
      expect(rows[0].computed_sha256).toBe(sha256(data));
      for (const who of [s.producer, b.commissioner]) {
        expectProblem(asJson(await download(who, id)), 409, 'DELIVERABLE_NOT_READY');
      }
    });

    it('refuses a PATCH that carries more bytes than declared and stores nothing past the declared size', async () => {
      const declared = 1000;
      const data = randomBytes(declared);
      const { id, uploadUrl, path } = await registered(s.producer, m[1]!, data, { kind: 'music_cue_sheet' });
      const res = await tusPatch(path, s.producer, 0, Buffer.concat([data, randomBytes(500)]));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(storedSize(id)).toBeLessThanOrEqual(declared);
      const head = await tusHead(path, s.producer);
      expect(Number(head.headers['upload-offset'])).toBeLessThanOrEqual(declared);
      expect(await status(id)).toBe('uploading');
      // The upload is still usable: the right bytes complete it.
      await tusUpload(uploadUrl, s.producer.token, data);
      await settled(id, 'ready');
      expect(readFileSync(join(t.storageDir, id)).equals(data)).toBe(true);
    });

    it('cuts a chunked PATCH (no Content-Length) that runs past the declared size at that size', async () => {
      const declared = 1000;
      const data = randomBytes(declared + 64 * 1024);
      const { id, path } = await registered(s.producer, m[1]!, data.subarray(0, declared), { kind: 'other' });
      const res = await chunkedPatch(path, s.producer, data);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(storedSize(id)).toBeLessThanOrEqual(declared);
      const head = await tusHead(path, s.producer);
      expect(Number(head.headers['upload-offset'])).toBeLessThanOrEqual(declared);
    });

    it('refuses HEAD and PATCH from another studio, the broadcaster, studio finance and anonymous callers, and writes nothing', async () => {
      const data = randomBytes(1000);
      const { id, path } = await registered(s.producer, m[1]!, data, { kind: 'rough_cut' });
      const cases: [Actor | null, number][] = [
        [q.producer, 404],
        [q.admin, 404],
        [b.commissioner, 404],
        [b.admin, 404],
        [s.finance, 403],
        [null, 401],
      ];
      for (const [who, expected] of cases) {
        const head = await tusHead(path, who);
        expect(head.status).toBe(expected);
        expect(head.headers['upload-offset']).toBeUndefined();
        const patch = await tusPatch(path, who, 0, data);
        expect(patch.status).toBe(expected);
        expect(patch.headers['upload-offset']).toBeUndefined();
      }
      expect(storedSize(id)).toBe(0);
      const head = await tusHead(path, s.producer);
      expect(head.status).toBe(200);
      expect(head.headers['upload-offset']).toBe('0');
      expect(await status(id)).toBe('uploading');
    });

    it('answers tus errors as problem+json with a stable code, keeping the status and Tus-Resumable', async () => {
      const data = randomBytes(1000);
      const { path } = await registered(s.producer, m[1]!, data, { kind: 'artwork' });
      const expectTusProblem = (res: Response, status: number, code: string): void => {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['tus-resumable']).toBe('1.0.0');
        expectProblem(res, status, code);
        expect(res.body.type).toMatch(/^https:\/\//);
      };
      // A wrong offset: the server has 0 bytes.
      expectTusProblem(
        await tusPatch(path, s.producer, 10, data.subarray(10)),
        409,
        'UPLOAD_OFFSET_MISMATCH',
      );
      // An unknown upload, and an id that is no upload id at all.
      expectTusProblem(
        await tusPatch(`/api/v1/uploads/${randomUUID()}`, s.producer, 0, data),
        404,
        'UPLOAD_NOT_FOUND',
      );
      expectTusProblem(
        await tusPatch('/api/v1/uploads/not-an-id', s.producer, 0, data),
        404,
        'UPLOAD_NOT_FOUND',
      );
      // Another studio's upload answers like an unknown one.
      expectTusProblem(await tusPatch(path, q.producer, 0, data), 404, 'UPLOAD_NOT_FOUND');
      expectTusProblem(await tusPatch(path, s.finance, 0, data), 403, 'FORBIDDEN');
      // No token.
      expectTusProblem(await tusPatch(path, null, 0, data), 401, 'UNAUTHENTICATED');
      // More bytes than declared.
      expectTusProblem(
        await tusPatch(path, s.producer, 0, Buffer.concat([data, randomBytes(10)])),
        413,
        'UPLOAD_LENGTH_MISMATCH',
      );
      // Tus's own header checks: no Tus-Resumable, a missing Upload-Offset.
      const noVersion = await t
        .http()
        .patch(path)
        .set(...bearer(s.producer))
        .set('Upload-Offset', '0')
        .set('Content-Type', 'application/offset+octet-stream')
        .send(data);
      expect(noVersion.headers['content-type']).toMatch(/^application\/problem\+json/);
      expectProblem(noVersion, 412, 'TUS_VERSION_REQUIRED');
      const noOffset = await t
        .http()
        .patch(path)
        .set(...bearer(s.producer))
        .set('Tus-Resumable', '1.0.0')
        .set('Content-Type', 'application/offset+octet-stream')
        .send(data);
      expectTusProblem(noOffset, 403, 'UPLOAD_HEADER_MISSING');
      const badOffset = await tusPatch(path, s.producer, -1, data);
      expectTusProblem(badOffset, 400, 'UPLOAD_HEADER_INVALID');
      // HEAD has no body, but the status and the tus headers stay.
      const head = await tusHead(`/api/v1/uploads/${randomUUID()}`, s.producer);
      expect(head.status).toBe(404);
      expect(head.headers['tus-resumable']).toBe('1.0.0');
      // Nothing was written: the right bytes still complete it from 0.
      const ok = await tusPatch(path, s.producer, 0, data);
      expect(ok.status).toBe(204);
    });

    it('offers neither creation (POST) nor termination (DELETE); the upload survives both', async () => {
      const data = randomBytes(1000);
      const { id, path } = await registered(s.producer, m[1]!, data, { kind: 'trailer' });
      const create = await t
        .http()
        .post('/api/v1/uploads')
        .set(...bearer(s.producer))
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', '1000');
      expect([404, 405]).toContain(create.status);
      expectProblem(create, create.status);
      const createAt = await t
        .http()
        .post(path)
        .set(...bearer(s.producer))
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', '1000');
      expect([404, 405]).toContain(createAt.status);
      expectProblem(createAt, createAt.status);
      const terminate = await t
        .http()
        .delete(path)
        .set(...bearer(s.producer))
        .set('Tus-Resumable', '1.0.0');
      expect([404, 405]).toContain(terminate.status);
      expectProblem(terminate, terminate.status);

      const head = await tusHead(path, s.producer);
      expect(head.status).toBe(200);
      expect(head.headers['upload-length']).toBe('1000');
      expect(await status(id)).toBe('uploading');
      await tusUpload(`${await t.app.getUrl()}${path}`, s.producer.token, data);
      await settled(id, 'ready');
    });
  });

  describe('GET /deliverables/{id}/content', () => {
    const data = randomBytes(64 * 1024);
    let id: string;

    beforeAll(async () => {
      id = await readyFile(s.producer, m[2]!, data, {
        kind: 'programme_master',
        fileName: 'Дала әуендері ep1.mov',
        contentType: 'video/quicktime',
      });
    });

    it('streams the whole file to both parties, as an attachment with its name', async () => {
      for (const who of [s.producer, s.admin, b.commissioner, b.finance]) {
        const res = await download(who, id);
        expect(res.status).toBe(200);
        expect((res.body as Buffer).equals(data)).toBe(true);
        expect(res.headers['content-type']).toBe('video/quicktime');
        expect(res.headers['content-length']).toBe(String(data.length));
        // A contract's files are for the two parties only: no shared cache keeps a copy.
        expect(res.headers['cache-control']).toBe('private, no-store');
        // RFC 6266: an ASCII fallback, and the exact name in UTF-8.
        expect(res.headers['content-disposition']).toBe(
          `attachment; filename="____ ________ ep1.mov"; filename*=UTF-8''${encodeURIComponent('Дала әуендері ep1.mov')}`,
        );
      }
    });

    it('answers a byte range with 206 and exactly those bytes', async () => {
      const res = await download(b.commissioner, id, 'bytes=0-9');
      expect(res.status).toBe(206);
      expect((res.body as Buffer).equals(data.subarray(0, 10))).toBe(true);
      expect(res.headers['content-range']).toBe(`bytes 0-9/${data.length}`);
      expect(res.headers['content-length']).toBe('10');
    });

    it('answers a suffix range with the last bytes', async () => {
      const res = await download(s.producer, id, 'bytes=-5');
      expect(res.status).toBe(206);
      expect((res.body as Buffer).equals(data.subarray(data.length - 5))).toBe(true);
      expect(res.headers['content-range']).toBe(`bytes ${data.length - 5}-${data.length - 1}/${data.length}`);
    });

    it('answers an unsatisfiable range with 416', async () => {
      const res = await download(b.commissioner, id, `bytes=${data.length}-${data.length + 10}`);
      expectProblem(asJson(res), 416);
      expect(res.headers['content-range']).toBe(`bytes */${data.length}`);
    });

    it('answers 404 to organisations outside the contract and to anonymous callers with 401', async () => {
      for (const who of [q.producer, q.admin, outsider.admin, outsider.commissioner]) {
        expectProblem(asJson(await download(who, id)), 404);
      }
      expectProblem(asJson(await download(s.producer, '00000000-0000-4000-8000-000000000000')), 404);
      expectProblem(asJson(await download(null, id)), 401);
    });

    it('answers 409 DELIVERABLE_NOT_READY while the file is still uploading', async () => {
      const { id: pending } = await registered(s.producer, m[2]!, randomBytes(100), { kind: 'other' });
      for (const who of [s.producer, b.commissioner]) {
        expectProblem(asJson(await download(who, pending)), 409, 'DELIVERABLE_NOT_READY');
      }
    });
  });

  describe('Versions', () => {
    it('makes a new upload of a kind the next version, lists both, and keeps serving the old one', async () => {
      const v1 = randomBytes(10 * 1024);
      const v2 = randomBytes(12 * 1024);
      const first = await readyFile(s.producer, m[2]!, v1, { kind: 'script', fileName: 'v1.pdf' });
      const second = await register(s.producer, m[2]!, fileBody(v2, { kind: 'script', fileName: 'v2.pdf' }));
      expect(second.status).toBe(201);
      expect(second.body.deliverable.version).toBe(2);
      await tusUpload(second.body.uploadUrl, s.producer.token, v2);
      await settled(second.body.deliverable.id, 'ready');

      for (const who of [s.producer, b.commissioner]) {
        const list = await t
          .http()
          .get(`/api/v1/milestones/${m[2]}/deliverables`)
          .set(...bearer(who))
          .expect(200);
        const scripts = list.body.items.filter((d: { kind: string }) => d.kind === 'script');
        expect(scripts).toEqual([
          expect.objectContaining({
            id: second.body.deliverable.id,
            version: 2,
            fileName: 'v2.pdf',
            status: 'ready',
          }),
          expect.objectContaining({ id: first, version: 1, fileName: 'v1.pdf', status: 'ready' }),
        ]);
      }
      expect((await download(b.commissioner, first)).body).toEqual(v1);
      expect((await download(b.commissioner, second.body.deliverable.id)).body).toEqual(v2);
    });

    it('pages the deliverables by kind, newest version first, with limit and cursor', async () => {
      const list = (query: string) =>
        t
          .http()
          .get(`/api/v1/milestones/${m[2]}/deliverables${query}`)
          .set(...bearer(b.commissioner));
      const all = await list('').expect(200);
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.items.length).toBeGreaterThanOrEqual(2);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(`?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(
          200,
        );
        expect(res.body.items).toHaveLength(1);
        seen.push(res.body.items[0]);
        cursor = res.body.nextCursor as string | null;
      } while (cursor !== null && seen.length <= all.body.items.length);
      expect(seen).toEqual(all.body.items);
      for (const limit of [0, 101]) expectProblem(await list(`?limit=${limit}`), 400);
      const forged = Buffer.from('not_a_kind|1').toString('base64url');
      expectProblem(await list(`?cursor=${forged}`), 400, 'INVALID_CURSOR');
    });

    it('never deletes a deliverable row: every registered file, rejected ones included, is still there', async () => {
      const { rows } = await t.db.query<{ status: string; n: string }>(
        'SELECT status, count(*) AS n FROM deliverables GROUP BY status ORDER BY status',
      );
      const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      expect(byStatus.rejected).toBeGreaterThanOrEqual(2);
      expect(byStatus.ready).toBeGreaterThanOrEqual(6);
      const audit = await t.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM audit_events WHERE action = 'deliverable.registered'",
      );
      const all = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM deliverables');
      expect(Number(all.rows[0]!.n)).toBe(Number(audit.rows[0]!.n));
    });
  });
});
