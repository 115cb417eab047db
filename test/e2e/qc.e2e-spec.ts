import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { QcService } from '../../src/modules/deliverables/qc/qc.service';
import { bearer, type Actor } from '../factories';
import {
  activeContract,
  briefBody,
  createBrief,
  createBroadcaster,
  createStudio,
  uploadDeliverable,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import { api, eventually, startApp, type TestApp } from '../utils/app';
import { Clips, pictures, tone } from '../utils/clips';
import { expectProblem } from '../utils/expect';
import { waitForNotification } from '../utils/notifications';
import { startS3, type TestS3 } from '../utils/s3';
import { spawnWorker, type WorkerProcess } from '../utils/worker-process';

jest.setTimeout(120000);

/** The default checks, as a commissioner lists them in a PUT (parameters from the brief). */
const CHECKS = [
  ['resolution', 'mandatory'],
  ['frame_rate', 'mandatory'],
  ['scan_type', 'mandatory'],
  ['video_codec', 'mandatory'],
  ['audio', 'mandatory'],
  ['loudness', 'mandatory'],
  ['true_peak', 'mandatory'],
  ['loudness_range', 'warning'],
  ['black', 'warning'],
  ['silence', 'warning'],
  ['freeze', 'warning'],
  ['av_duration', 'mandatory'],
  ['duration', 'mandatory'],
  ['luma_range', 'warning'],
] as const;

/** A brief whose deliverables are the test clips: 320×180, 25 fps, −23 LUFS, 1-minute episodes. */
const CLIP_BRIEF = {
  deliverySpec: { notes: 'Test clips', resolution: '320x180', frameRate: 25, loudnessLufs: -23 },
  episodeMinutes: 1,
};

/** Our profile: the defaults, with the programme master's length that of the 9 s clips. */
const CLIP_PROFILE = {
  items: CHECKS.map(([id, severity]) =>
    id === 'duration' ? { id, severity, params: { expectedSec: 9 } } : { id, severity },
  ),
};

const FINISHED = ['pass', 'warning', 'fail', 'error', 'not_video'];

/** The measured values the tests read. */
interface Measured {
  durationSec: number;
  frameRate: string;
  integratedLufs: number;
  truePeakDbtp: number;
  samplePeakDbfs: number;
  programmeMix: { streams: number[]; channels: number };
  [field: string]: unknown;
}

interface Report {
  status: string;
  run: number;
  profile: { id: string; version: number };
  tool: { name: string; version: string | null };
  measured: Measured;
  items: {
    id: string;
    severity: string;
    result: string;
    intervals: { startSec: number; endSec: number }[];
    waiver: unknown;
  }[];
  error: { code: string; message: string } | null;
  [field: string]: unknown;
}

/** The generated test clips (see Clips). */
async function makeClips(clips: Clips): Promise<Record<string, Buffer>> {
  const reference = await clips.make('reference', { video: pictures(9), audio: [tone(-23, 9)] });
  const faststart = await clips.make('faststart', {
    video: pictures(9),
    audio: [tone(-23, 9)],
    output: ['-movflags', '+faststart'],
  });
  return {
    reference,
    quiet: await clips.make('quiet', { video: pictures(9), audio: [tone(-33, 9)] }),
    // fs/4 with a 45° phase: every sample sits at 0.707 of the crest, which falls between samples.
    peaky: await clips.make('peaky', {
      video: pictures(9),
      audio: ['aevalsrc=0.5*sin(2*PI*12000*t+PI/4):s=48000:c=stereo:d=9'],
    }),
    ntsc: await clips.make('ntsc', { video: pictures(9, '30000/1001'), audio: [tone(-23, 9)] }),
    // Black 0–3 s, then pictures; a tone with silence from 3 s to 6 s.
    gaps: await clips.make('gaps', {
      video: `color=black:s=320x180:r=25:d=3[b];${pictures(9)}[p];[b][p]concat=n=2:v=1:a=0`,
      audio: [tone(-23, 12, 'stereo', 'lt(t,3)+gte(t,6)')],
    }),
    // Pictures for 4 s, then the last one held to the end (9 s).
    frozen: await clips.make('frozen', {
      video: `${pictures(4)},tpad=stop_mode=clone:stop_duration=5`,
      audio: [tone(-23, 9)],
    }),
    twoMono: await clips.make('two-mono', {
      video: pictures(9),
      audio: [tone(-23, 9, 'mono'), tone(-23, 9, 'mono')],
    }),
    // The index is at the start, the media cut off at 60 %: ffprobe reads it, the decode stops early.
    truncated: faststart.subarray(0, Math.floor(faststart.length * 0.6)),
    random: randomBytes(256 * 1024),
  };
}

describe('Technical QC of video deliverables', () => {
  let t: TestApp;
  let b: Broadcaster;
  let s: Studio;
  let other: Broadcaster;
  const clips = new Clips();
  let media: Record<string, Buffer>;
  let m: string[];
  let qcQueue: Queue;
  let redis: IORedis;
  /** Deliverable ids of the measured clips (rough cuts of the first milestone), by clip. */
  const ids: Record<string, string> = {};

  const report = async (id: string, by: Actor = s.producer): Promise<Report | null> => {
    const { rows } = await t.db.query<{ milestone_id: string }>(
      'SELECT milestone_id FROM deliverables WHERE id = $1',
      [id],
    );
    const res = await t
      .http()
      .get(api(`/milestones/${rows[0]!.milestone_id}/deliverables`))
      .query({ limit: 100 })
      .set(...bearer(by));
    expect(res.status).toBe(200);
    return res.body.items.find((d: { id: string }) => d.id === id).qc as Report | null;
  };

  const status = async (id: string): Promise<string | undefined> => {
    const { rows } = await t.db.query<{ status: string }>(
      'SELECT status FROM deliverable_qc_reports WHERE deliverable_id = $1',
      [id],
    );
    return rows[0]?.status;
  };

  const finished = (id: string): Promise<string> =>
    eventually(async () => {
      const st = await status(id);
      return st !== undefined && FINISHED.includes(st) && st;
    }, 60000);

  const item = (r: Report, id: string) => r.items.find((i) => i.id === id)!;

  const accept = (milestoneId: string) =>
    t
      .http()
      .post(api(`/milestones/${milestoneId}/accept`))
      .set(...bearer(b.commissioner));

  const submit = async (milestoneId: string): Promise<void> => {
    await t
      .http()
      .post(api(`/milestones/${milestoneId}/submit`))
      .set(...bearer(s.producer))
      .expect(200);
  };

  const auditActions = async (
    entityId: string,
  ): Promise<{ action: string; after: Record<string, unknown> }[]> => {
    const { rows } = await t.db.query<{ action: string; after: Record<string, unknown> }>(
      'SELECT action, after FROM audit_events WHERE entity_id = $1 ORDER BY seq',
      [entityId],
    );
    return rows;
  };

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    redis = new IORedis(t.config.redisUrl, { maxRetriesPerRequest: null });
    qcQueue = new Queue('qc', { connection: redis, prefix: t.config.queuePrefix });
    [b, s, other] = await Promise.all([createBroadcaster(t), createStudio(t), createBroadcaster(t)]);
    media = await makeClips(clips);
    const contract = await activeContract(t, b, s, {
      brief: CLIP_BRIEF,
      draft: async (briefId) => {
        await t
          .http()
          .put(api(`/briefs/${briefId}/qc-profile`))
          .set(...bearer(b.commissioner))
          .send(CLIP_PROFILE)
          .expect(200);
      },
    });
    m = contract.milestones.map((x) => x.id);
    // Through the real upload path: tus, checksum verification, deliverable.ready, the qc queue.
    for (const name of [
      'reference',
      'quiet',
      'peaky',
      'ntsc',
      'gaps',
      'frozen',
      'twoMono',
      'truncated',
      'random',
    ]) {
      ids[name] = await uploadDeliverable(t, s, m[0]!, media[name]!, {
        kind: 'rough_cut',
        fileName: `${name}.mov`,
        contentType: 'video/quicktime',
      });
    }
    for (const id of Object.values(ids)) await finished(id);
  });

  afterAll(async () => {
    await qcQueue?.close();
    redis?.disconnect();
    await t?.close();
    clips.remove();
  });

  describe('GET/PUT /briefs/{id}/qc-profile', () => {
    let briefId: string;
    const profile = (by: Actor = b.commissioner) =>
      t
        .http()
        .get(api(`/briefs/${briefId}/qc-profile`))
        .set(...bearer(by));
    const put = (body: object, by: Actor = b.commissioner) =>
      t
        .http()
        .put(api(`/briefs/${briefId}/qc-profile`))
        .set(...bearer(by))
        .send(body);

    beforeAll(async () => {
      briefId = await createBrief(t, b.commissioner, briefBody());
    });

    it('starts from the delivery spec, follows it until edited, and versions every edit', async () => {
      const first = await profile().expect(200);
      expect(first.body).toMatchObject({ briefId, version: 1, source: 'default' });
      expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(CHECKS.map(([id]) => id));
      expect(first.body.items.find((i: { id: string }) => i.id === 'frame_rate').params).toEqual({
        frameRate: '25/1',
      });
      expect(first.body.items.find((i: { id: string }) => i.id === 'duration').params).toEqual({
        expectedSec: 44 * 60,
        toleranceSec: 1,
        kinds: ['programme_master'],
      });

      await t
        .http()
        .patch(api(`/briefs/${briefId}`))
        .set(...bearer(b.commissioner))
        .send({ deliverySpec: { resolution: '1280x720', frameRate: 29.97, loudnessLufs: -24 } })
        .expect(200);
      const followed = await profile().expect(200);
      expect(followed.body).toMatchObject({ version: 2, source: 'default' });
      const params = (body: { items: { id: string; params: unknown }[] }, id: string) =>
        body.items.find((i) => i.id === id)?.params;
      expect(params(followed.body, 'resolution')).toEqual({ width: 1280, height: 720 });
      expect(params(followed.body, 'frame_rate')).toEqual({ frameRate: '30000/1001' });
      expect(params(followed.body, 'loudness')).toEqual({ targetLufs: -24, toleranceLu: 1 });
      // Reading it again stores nothing new.
      expect((await profile().expect(200)).body.version).toBe(2);

      const edited = await put({
        items: [
          { id: 'loudness', severity: 'warning', params: { toleranceLu: 2 } },
          { id: 'true_peak', severity: 'mandatory', params: { maxDbtp: -2 } },
        ],
      }).expect(200);
      expect(edited.body).toMatchObject({
        version: 3,
        source: 'commissioner',
        items: [
          { id: 'loudness', severity: 'warning', params: { targetLufs: -24, toleranceLu: 2 } },
          { id: 'true_peak', severity: 'mandatory', params: { maxDbtp: -2 } },
        ],
      });
      // An edited profile no longer follows the spec.
      await t
        .http()
        .patch(api(`/briefs/${briefId}`))
        .set(...bearer(b.commissioner))
        .send({ deliverySpec: { resolution: '3840x2160' } })
        .expect(200);
      expect((await profile().expect(200)).body).toEqual(edited.body);
      expect((await auditActions(briefId)).map((e) => e.action)).toContain('brief.qc_profile_updated');
    });

    it('refuses unknown checks, unknown or invalid parameters and repeated checks with 400', async () => {
      const before = (await profile().expect(200)).body.version;
      for (const items of [
        [{ id: 'colour_bars', severity: 'mandatory' }],
        [{ id: 'loudness', severity: 'fatal' }],
        [{ id: 'loudness', severity: 'mandatory', params: { targetLufs: -23, gain: 2 } }],
        [{ id: 'frame_rate', severity: 'mandatory', params: { frameRate: 25 } }],
        [{ id: 'true_peak', severity: 'mandatory', params: { maxDbtp: 'loud' } }],
        [
          { id: 'black', severity: 'warning' },
          { id: 'black', severity: 'mandatory' },
        ],
      ]) {
        expectProblem(await put({ items }), 400, 'VALIDATION_FAILED');
      }
      expect((await profile().expect(200)).body.version).toBe(before);
    });

    it('is the brief broadcaster’s commissioners’ own: 403 for a studio, 404 for another broadcaster', async () => {
      expectProblem(await profile(s.producer), 403);
      expectProblem(await put({ items: [] }, s.producer), 403);
      expectProblem(await profile(other.commissioner), 404);
      expectProblem(await put({ items: [] }, other.commissioner), 404);
    });

    it('is fixed once the brief is published (409 BRIEF_NOT_DRAFT)', async () => {
      await t
        .http()
        .post(api(`/briefs/${briefId}/publish`))
        .set(...bearer(b.commissioner))
        .expect(200);
      expectProblem(await put({ items: [] }), 409, 'BRIEF_NOT_DRAFT');
      expect((await profile().expect(200)).body.version).toBe(3);
    });
  });

  describe('the report', () => {
    it('measures a 1 kHz stereo sine at −23 dBFS as −23.0 LUFS and passes it, for both parties', async () => {
      const r = (await report(ids.reference!))!;
      expect(r).toEqual({
        status: 'pass',
        run: 1,
        profile: { id: expect.any(String), version: 1 },
        tool: { name: 'ffmpeg', version: expect.stringMatching(/^\d+\.\d+/) },
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        measured: expect.objectContaining({
          durationSec: 9,
          width: 320,
          height: 180,
          frameRate: '25/1',
          fieldOrder: 'progressive',
          videoCodec: 'h264',
          audio: [{ streamIndex: 1, codec: 'pcm_s24le', channels: 2, sampleRate: 48000 }],
          programmeMix: { streams: [1], channels: 2 },
        }),
        items: expect.any(Array),
        error: null,
      });
      expect(r.measured.integratedLufs).toBeGreaterThanOrEqual(-23.1);
      expect(r.measured.integratedLufs).toBeLessThanOrEqual(-22.9);
      expect(r.items.map((i) => [i.id, i.result])).toEqual(
        CHECKS.map(([id]) => [id, id === 'duration' ? 'skipped' : 'pass']),
      );
      expect(await report(ids.reference!, b.commissioner)).toEqual(r);
      await waitForNotification(t, s.producer, 'deliverable.qc_passed', { deliverableId: ids.reference! });
    });

    it('measures the sine at −33 dBFS as −33.0 LUFS: a mandatory loudness failure', async () => {
      const r = (await report(ids.quiet!))!;
      expect(r.measured.integratedLufs).toBeGreaterThanOrEqual(-33.1);
      expect(r.measured.integratedLufs).toBeLessThanOrEqual(-32.9);
      expect(r.status).toBe('fail');
      expect(item(r, 'loudness')).toMatchObject({
        severity: 'mandatory',
        result: 'fail',
        expected: { targetLufs: -23, toleranceLu: 1 },
      });
      const notice = await waitForNotification(t, s.producer, 'deliverable.qc_failed', {
        deliverableId: ids.quiet!,
      });
      expect(notice.data).toMatchObject({ status: 'fail', failedChecks: 'loudness', milestoneId: m[0] });
    });

    it('reports a true peak above the sample peak for a sine whose crest falls between samples', async () => {
      const r = (await report(ids.peaky!))!;
      expect(r.measured.samplePeakDbfs).toBeCloseTo(-9.0, 1);
      expect(r.measured.truePeakDbtp).toBeGreaterThan(r.measured.samplePeakDbfs + 2);
    });

    it('fails a 29.97 fps clip against a 25 fps spec: frame rates are exact rationals', async () => {
      const r = (await report(ids.ntsc!))!;
      expect(r.measured.frameRate).toBe('30000/1001');
      expect(r.status).toBe('fail');
      expect(item(r, 'frame_rate')).toMatchObject({
        result: 'fail',
        expected: { frameRate: '25/1' },
        measured: { frameRate: '30000/1001' },
      });
    });

    it('finds black 0–3 s and silence 3–6 s within one frame', async () => {
      const r = (await report(ids.gaps!))!;
      const frame = 1 / 25;
      const [black] = item(r, 'black').intervals;
      const [silence] = item(r, 'silence').intervals;
      expect(item(r, 'black').intervals).toHaveLength(1);
      expect(item(r, 'silence').intervals).toHaveLength(1);
      expect(Math.abs(black!.startSec - 0)).toBeLessThanOrEqual(frame);
      expect(Math.abs(black!.endSec - 3)).toBeLessThanOrEqual(frame);
      expect(Math.abs(silence!.startSec - 3)).toBeLessThanOrEqual(frame);
      expect(Math.abs(silence!.endSec - 6)).toBeLessThanOrEqual(frame);
      // Both lie (almost) within the first 5 s: found, and not counted against the file.
      expect(item(r, 'black').result).toBe('pass');
      expect(item(r, 'silence').result).toBe('pass');
    });

    it('reports a freeze that runs to the end of the file up to its duration', async () => {
      const r = (await report(ids.frozen!))!;
      const freeze = item(r, 'freeze').intervals;
      expect(freeze).toHaveLength(1);
      expect(freeze[0]!.startSec).toBeGreaterThanOrEqual(3.9);
      expect(freeze[0]!.startSec).toBeLessThan(4.5);
      expect(freeze[0]!.endSec).toBe(r.measured.durationSec);
      expect(r.measured.durationSec).toBe(9);
    });

    it('measures two mono streams as the stereo programme (−23 LUFS, not −26)', async () => {
      const r = (await report(ids.twoMono!))!;
      expect(r.measured.programmeMix).toEqual({ streams: [1, 2], channels: 2 });
      expect(r.measured.integratedLufs).toBeGreaterThanOrEqual(-23.1);
      expect(r.measured.integratedLufs).toBeLessThanOrEqual(-22.9);
      expect(item(r, 'audio').result).toBe('pass');
    });

    it('ends a truncated file and random bytes as error, not fail, retried with backoff', async () => {
      const truncated = (await report(ids.truncated!))!;
      expect(truncated).toMatchObject({ status: 'error', error: { code: 'TRUNCATED' }, items: [] });
      const random = (await report(ids.random!))!;
      expect(random.status).toBe('error');
      expect(['PROBE_FAILED', 'UNSUPPORTED_FORMAT']).toContain(random.error!.code);
      for (const id of [ids.truncated!, ids.random!]) {
        const job = (await qcQueue.getJob(`qc-${id}-v1-r1`))!;
        expect(job.attemptsMade).toBeGreaterThanOrEqual(1);
        expect(['delayed', 'active', 'failed', 'wait']).toContain(await job.getState());
      }
      // The worker went on: the clips uploaded after these were measured.
      expect(await status(ids.reference!)).toBe('pass');
      // The commissioner can run it again at once.
      const rerun = await t
        .http()
        .post(api(`/deliverables/${ids.random}/qc/rerun`))
        .set(...bearer(b.commissioner));
      expect(rerun.status).toBe(202);
      expect(rerun.body).toMatchObject({ status: 'pending', run: 2, error: null });
      // One analysis at a time (QC_CONCURRENCY 1): the rerun may wait behind another clip.
      await eventually(
        async () => (await report(ids.random!))?.run === 2 && (await status(ids.random!)) === 'error',
        30000,
      );
    });

    it('gives files that are not videos no report: another kind, or neither type nor probe says video', async () => {
      const pdf = await uploadDeliverable(t, s, m[0]!, randomBytes(4096), {
        kind: 'script',
        fileName: 'ep1.pdf',
        contentType: 'application/pdf',
      });
      const notVideo = await uploadDeliverable(t, s, m[0]!, randomBytes(4096), {
        kind: 'trailer',
        fileName: 'notes.pdf',
        contentType: 'application/pdf',
      });
      expect(await finished(notVideo)).toBe('not_video');
      expect(await report(notVideo)).toBeNull();
      expect(await status(pdf)).toBeUndefined();
      expect(await report(pdf)).toBeNull();
    });
  });

  describe('jobs', () => {
    /** One run of the QC job's processor, as BullMQ calls it. */
    const runJob = (run: number) =>
      t.app
        .get(QcService)
        .process({ data: { deliverableId: ids.reference!, run }, attemptsMade: 0, opts: { attempts: 4 } });

    const recorded = async (run: number): Promise<number> =>
      (await auditActions(ids.reference!)).filter(
        (e) => e.action === 'deliverable.qc_recorded' && e.after.run === run,
      ).length;

    it('changes nothing when a finished job runs again', async () => {
      const before = await t.db.query('SELECT * FROM deliverable_qc_reports WHERE deliverable_id = $1', [
        ids.reference,
      ]);
      await runJob(1);
      const after = await t.db.query('SELECT * FROM deliverable_qc_reports WHERE deliverable_id = $1', [
        ids.reference,
      ]);
      expect(after.rows).toEqual(before.rows);
      expect(await recorded(1)).toBe(1);
    });

    it('re-runs on the commissioner’s request (202, a new run), and the run twice at once records one report', async () => {
      expectProblem(
        await t
          .http()
          .post(api(`/deliverables/${ids.reference}/qc/rerun`))
          .set(...bearer(s.producer)),
        403,
      );
      await qcQueue.pause();
      try {
        const res = await t
          .http()
          .post(api(`/deliverables/${ids.reference}/qc/rerun`))
          .set(...bearer(b.commissioner));
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ status: 'pending', run: 2, items: [], measured: null });
        expect(await qcQueue.getJob(`qc-${ids.reference}-v1-r2`)).toBeDefined();
        await Promise.all([runJob(2), runJob(2)]);
      } finally {
        await qcQueue.resume();
      }
      const { rows } = await t.db.query<{ status: string; run: number; attempt: number }>(
        'SELECT status, run, attempt FROM deliverable_qc_reports WHERE deliverable_id = $1',
        [ids.reference],
      );
      expect(rows).toEqual([{ status: 'pass', run: 2, attempt: 2 }]);
      expect(await recorded(2)).toBe(1);
      // The queued job of run 2 finds it finished.
      await eventually(
        async () => (await (await qcQueue.getJob(`qc-${ids.reference}-v1-r2`))?.getState()) === 'completed',
      );
      expect(await recorded(2)).toBe(1);
      expect((await report(ids.reference!))!).toMatchObject({ status: 'pass', run: 2 });
      expect((await auditActions(ids.reference!)).map((e) => e.action)).toContain('deliverable.qc_rerun');
    });
  });

  describe('the acceptance gate', () => {
    let quiet: string;

    beforeAll(async () => {
      quiet = await uploadDeliverable(t, s, m[1]!, media.quiet!, {
        kind: 'programme_master',
        fileName: 'ep1-master.mov',
        contentType: 'video/quicktime',
      });
      expect(await finished(quiet)).toBe('fail');
      await submit(m[1]!);
    });

    const waive = (body: object, by: Actor = b.commissioner) =>
      t
        .http()
        .post(api(`/deliverables/${quiet}/qc/waivers`))
        .set(...bearer(by))
        .send(body);

    it('refuses to accept a milestone whose master fails a mandatory check (409 QC_FAILED)', async () => {
      const res = await accept(m[1]!);
      expectProblem(res, 409, 'QC_FAILED');
      expect(res.body.detail).toContain('loudness');
      const { rows } = await t.db.query('SELECT status FROM milestones WHERE id = $1', [m[1]]);
      expect(rows[0]).toEqual({ status: 'submitted' });
    });

    it('takes waivers from the commissioner only, of failed checks, with a reason', async () => {
      expectProblem(await waive({ items: ['loudness'], reason: 'Remix agreed' }, s.producer), 403);
      expectProblem(await waive({ items: ['loudness'], reason: 'Remix agreed' }, other.commissioner), 404);
      expectProblem(await waive({ items: ['loudness'] }), 400, 'VALIDATION_FAILED');
      expectProblem(await waive({ items: ['loudness'], reason: '  ' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await waive({ items: ['colour_bars'], reason: 'Remix agreed' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await waive({ items: ['true_peak'], reason: 'Remix agreed' }), 422, 'QC_NOT_WAIVABLE');
      const { rows } = await t.db.query(
        'SELECT count(*)::int AS n FROM deliverable_qc_waivers WHERE deliverable_id = $1',
        [quiet],
      );
      expect(rows[0]).toEqual({ n: 0 });
    });

    it('accepts once the failure is waived with a reason, shows the waiver to the studio, and audits both', async () => {
      const reason = 'The broadcaster remixes the programme to −23 LUFS in-house.';
      const res = await waive({ items: ['loudness'], reason });
      expect(res.status).toBe(201);
      const waiver = { by: b.commissioner.userId, reason, at: expect.any(String) };
      expect(item(res.body, 'loudness').waiver).toEqual(waiver);
      expect(item((await report(quiet, s.producer))!, 'loudness').waiver).toEqual(waiver);
      expect(item((await report(quiet, s.producer))!, 'true_peak').waiver).toBeNull();
      expectProblem(await waive({ items: ['loudness'], reason }), 409, 'QC_ALREADY_WAIVED');

      expect((await accept(m[1]!)).status).toBe(200);
      expect((await auditActions(quiet)).filter((e) => e.action === 'deliverable.qc_waived')).toEqual([
        { action: 'deliverable.qc_waived', after: { run: 1, items: ['loudness'], reason } },
      ]);
      expect((await auditActions(m[1]!)).map((e) => e.action)).toContain('milestone.accepted');
    });

    it('refuses while the report is not finished, and accepts a master that passes', async () => {
      await qcQueue.pause();
      let master: string;
      try {
        master = await uploadDeliverable(t, s, m[2]!, media.reference!, {
          kind: 'programme_master',
          fileName: 'ep1-master.mov',
          contentType: 'video/quicktime',
        });
        await eventually(async () => (await status(master)) === 'pending');
        await submit(m[2]!);
        const res = await accept(m[2]!);
        expectProblem(res, 409, 'QC_FAILED');
        expect(res.body.detail).toContain('no finished QC report');
      } finally {
        await qcQueue.resume();
      }
      expect(await finished(master)).toBe('pass');
      expect(item((await report(master))!, 'duration')).toMatchObject({
        result: 'pass',
        expected: { expectedSec: 9, toleranceSec: 1, kinds: ['programme_master'] },
      });
      expect((await accept(m[2]!)).status).toBe(200);
    });
  });
});

describe('Technical QC on S3 storage', () => {
  let t: TestApp;
  let s3: TestS3;
  const clips = new Clips();

  beforeAll(async () => {
    s3 = await startS3();
    t = await startApp({ ...s3.env, BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
  });

  afterAll(async () => {
    await t?.close();
    await s3?.close();
    clips.remove();
  });

  it('reads the object through a presigned URL (range requests, no local copy) and measures it', async () => {
    const [b, s] = await Promise.all([createBroadcaster(t), createStudio(t)]);
    const clip = await clips.make('reference', { video: pictures(9), audio: [tone(-23, 9)] });
    const contract = await activeContract(t, b, s, { brief: CLIP_BRIEF });
    const id = await uploadDeliverable(t, s, contract.milestones[0]!.id, clip, {
      kind: 'rough_cut',
      fileName: 'reference.mov',
      contentType: 'video/quicktime',
    });
    const { rows } = await eventually(async () => {
      const res = await t.db.query<{
        status: string;
        measured: { integratedLufs: number; durationSec: number };
      }>('SELECT status, measured FROM deliverable_qc_reports WHERE deliverable_id = $1', [id]);
      return FINISHED.includes(res.rows[0]?.status ?? 'none') && res;
    }, 60000);
    expect(rows[0]).toMatchObject({ status: 'pass', measured: { integratedLufs: -23, durationSec: 9 } });
  });
});

/** Processes that are children of `pid` and run `comm` (from /proc: Linux, as in CI). */
function childrenRunning(pid: number, comm: string): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ').filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${child}/comm`, 'utf8').trim() === comm) out.push(child);
      } catch {
        // Gone already.
      }
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('A QC job whose worker is killed mid-analysis', () => {
  let t: TestApp;
  const clips = new Clips();
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // No workers in the API: the child processes do the work (verification, QC).
    t = await startApp({
      RUN_WORKER: 'false',
      BRIEF_MIN_BID_WINDOW_SECONDS: '0',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
    });
  });

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await t?.close();
    clips.remove();
  });

  it('is retried by another worker (stalled job) and finishes with one report', async () => {
    const [b, s] = await Promise.all([createBroadcaster(t), createStudio(t)]);
    // Two minutes of pictures: long enough an analysis to be caught running.
    const long = await clips.make('long', {
      video: pictures(120),
      audio: [tone(-23, 120)],
      output: ['-c:a', 'aac', '-b:a', '64k'],
    });
    const contract = await activeContract(t, b, s, { brief: CLIP_BRIEF });
    const first = spawnWorker(t.config);
    workers.push(first);
    const id = await uploadDeliverable(t, s, contract.milestones[0]!.id, long, {
      kind: 'rough_cut',
      fileName: 'long.mov',
      contentType: 'video/quicktime',
    });

    // The worker's ffmpeg is found running, and stopped there so it is surely mid-analysis.
    const ffmpeg = await eventually(() => {
      const [pid] = childrenRunning(first.child.pid!, 'ffmpeg');
      if (pid) process.kill(pid, 'SIGSTOP');
      return Promise.resolve(pid);
    }, 30000).catch((err: Error) => {
      throw new Error(`${err.message}; worker output:\n${first.output()}`);
    });
    const { rows: running } = await t.db.query(
      'SELECT status, run, attempt FROM deliverable_qc_reports WHERE deliverable_id = $1',
      [id],
    );
    expect(running).toEqual([{ status: 'running', run: 1, attempt: 1 }]);

    await first.stop('SIGKILL');
    // Its analysis dies with it (setpriv --pdeathsig): no orphan races the retry.
    await eventually(() => Promise.resolve(!alive(ffmpeg)), 5000);

    const second = spawnWorker(t.config);
    workers.push(second);
    await eventually(async () => {
      const { rows } = await t.db.query<{ status: string }>(
        'SELECT status FROM deliverable_qc_reports WHERE deliverable_id = $1',
        [id],
      );
      return rows[0]?.status === 'pass';
    }, 60000).catch((err: Error) => {
      throw new Error(`${err.message}; worker output:\n${second.output()}`);
    });
    const { rows } = await t.db.query(
      `SELECT r.run, r.attempt, (r.measured->>'durationSec')::float AS duration,
              (SELECT count(*)::int FROM audit_events a
                WHERE a.entity_id = r.deliverable_id::text AND a.action = 'deliverable.qc_recorded') AS recorded
         FROM deliverable_qc_reports r WHERE r.deliverable_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ run: 1, attempt: 2, duration: 120, recorded: 1 }]);
  });
});
