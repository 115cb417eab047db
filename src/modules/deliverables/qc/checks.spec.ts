import { defaultQcItems, type QcProfileItem } from '../../briefs/qc-profile/qc-items';
import type { Measurements } from './analysis';
import { evaluate } from './checks';

/** A clean 20 s 1080p25 master: stereo at −23 LUFS, no runs, luma in range. */
const clean = (): Measurements => ({
  probe: {
    format: 'mov',
    durationSec: 20,
    video: {
      index: 0,
      codec: 'prores',
      width: 1920,
      height: 1080,
      frameRate: '25/1',
      fieldOrder: 'progressive',
      pixelFormat: 'yuv422p10le',
      durationSec: 20,
    },
    audio: [{ index: 1, codec: 'pcm_s24le', channels: 2, sampleRate: 48000, durationSec: 20 }],
  },
  programme: { streams: [1], channels: 2 },
  integratedLufs: -23,
  truePeakDbtp: -3.2,
  samplePeakDbfs: -3.5,
  loudnessRangeLu: 6.1,
  black: [],
  silence: [],
  freeze: [],
  luma: { percent: 0.01, worstFramePercent: 0.4, intervals: [] },
  decodedVideoSec: 20,
});

const items = (): QcProfileItem[] =>
  defaultQcItems({
    deliverySpec: { resolution: '1920x1080', frameRate: 25, loudnessLufs: -23 },
    episodeMinutes: null,
  }).concat(
    defaultQcItems({ deliverySpec: null, episodeMinutes: 1 })
      .filter((i) => i.id === 'duration')
      .map((i) => ({
        ...i,
        params: { ...i.params, expectedSec: 20 },
      })),
  );

const run = (m: Measurements, kind = 'programme_master') => evaluate(items(), m, kind);
const item = (m: Measurements, id: string, kind?: string) => run(m, kind).items.find((i) => i.id === id)!;

describe('QC checks', () => {
  it('passes a file that meets every default check, each item with its expected and measured values', () => {
    const r = run(clean());
    expect(r.status).toBe('pass');
    expect(r.items.map((i) => [i.id, i.result])).toEqual([
      ['resolution', 'pass'],
      ['frame_rate', 'pass'],
      ['scan_type', 'pass'],
      ['video_codec', 'pass'],
      ['audio', 'pass'],
      ['loudness', 'pass'],
      ['true_peak', 'pass'],
      ['loudness_range', 'pass'],
      ['black', 'pass'],
      ['silence', 'pass'],
      ['freeze', 'pass'],
      ['av_duration', 'pass'],
      ['luma_range', 'pass'],
      ['duration', 'pass'],
    ]);
    expect(r.items[0]).toMatchObject({
      expected: { width: 1920, height: 1080 },
      measured: { width: 1920, height: 1080 },
      intervals: [],
    });
    expect(r.measured).toMatchObject({
      frameRate: '25/1',
      integratedLufs: -23,
      programmeMix: { channels: 2 },
    });
  });

  it('compares frame rates as exact rationals: 30000/1001 is not 25/1, nor 30/1', () => {
    const m = clean();
    m.probe.video!.frameRate = '30000/1001';
    expect(item(m, 'frame_rate')).toMatchObject({ result: 'fail', expected: { frameRate: '25/1' } });
    expect(run(m).status).toBe('fail');
    m.probe.video!.frameRate = '30/1';
    expect(item(m, 'frame_rate').result).toBe('fail');
  });

  it('holds loudness to the target ± 1.0 LU inclusive, and true peak to −1.0 dBTP', () => {
    for (const [lufs, result] of [
      [-24, 'pass'],
      [-22, 'pass'],
      [-24.1, 'fail'],
      [-21.9, 'fail'],
    ] as const) {
      expect(item({ ...clean(), integratedLufs: lufs }, 'loudness').result).toBe(result);
    }
    expect(item({ ...clean(), truePeakDbtp: -1 }, 'true_peak').result).toBe('pass');
    expect(item({ ...clean(), truePeakDbtp: -0.9 }, 'true_peak').result).toBe('fail');
    // Digital silence has no peak: nothing exceeds the limit, and JSON says null.
    const silent = { ...clean(), truePeakDbtp: -Infinity, samplePeakDbfs: -Infinity };
    expect(item(silent, 'true_peak')).toMatchObject({ result: 'pass', measured: { truePeakDbtp: null } });
  });

  it('lists every black run but fails only on 2 s outside the first and last 5 s (a warning)', () => {
    const head = { startSec: 0, endSec: 3 };
    const tail = { startSec: 16, endSec: 20 };
    const straddling = { startSec: 3, endSec: 7.5 };
    expect(item({ ...clean(), black: [head, tail] }, 'black')).toMatchObject({
      result: 'pass',
      intervals: [head, tail],
      measured: { runs: 2, counted: 0 },
    });
    const r = run({ ...clean(), black: [head, straddling] });
    expect(r.items.find((i) => i.id === 'black')).toMatchObject({ result: 'fail', severity: 'warning' });
    expect(r.status).toBe('warning');
    // 5–6.9 s outside the head is under 2 s.
    expect(item({ ...clean(), black: [{ startSec: 3, endSec: 6.9 }] }, 'black').result).toBe('pass');
  });

  it('fails audio shorter than video by more than 2 frames, or longer by more than 2 s', () => {
    const withAudio = (sec: number): Measurements => {
      const m = clean();
      m.probe.audio[0]!.durationSec = sec;
      return m;
    };
    expect(item(withAudio(19.92), 'av_duration').result).toBe('pass'); // 2 frames short
    expect(item(withAudio(19.88), 'av_duration').result).toBe('fail'); // 3 frames short
    expect(item(withAudio(22), 'av_duration').result).toBe('pass');
    expect(item(withAudio(22.1), 'av_duration')).toMatchObject({
      result: 'fail',
      measured: { videoSec: 20, audioSec: 22.1, differenceSec: 2.1 },
    });
  });

  it('checks the episode length on programme masters only', () => {
    const m = clean();
    m.probe.durationSec = 21.5;
    expect(item(m, 'duration').result).toBe('fail');
    expect(item(m, 'duration', 'trailer')).toMatchObject({
      result: 'skipped',
      message: 'Not checked for trailer',
    });
  });

  it('fails without audio, and skips what cannot be measured without it', () => {
    const m = {
      ...clean(),
      programme: null,
      integratedLufs: null,
      truePeakDbtp: null,
      loudnessRangeLu: null,
    };
    m.probe = { ...m.probe, audio: [] };
    const r = run(m);
    expect(r.status).toBe('fail');
    expect(r.items.filter((i) => i.result !== 'pass').map((i) => [i.id, i.result])).toEqual([
      ['audio', 'fail'],
      ['loudness', 'skipped'],
      ['true_peak', 'skipped'],
      ['loudness_range', 'skipped'],
      ['silence', 'skipped'],
      ['av_duration', 'skipped'],
    ]);
  });

  it('warns on frames with luma out of range, and checks scan type and codec lists', () => {
    const over = [{ startSec: 4, endSec: 6.04 }];
    const luma = { ...clean(), luma: { percent: 0.3, worstFramePercent: 7.5, intervals: over } };
    expect(item(luma, 'luma_range')).toMatchObject({ result: 'fail', severity: 'warning', intervals: over });
    const m = clean();
    m.probe.video = { ...m.probe.video!, fieldOrder: 'tt', codec: 'mpeg4' };
    expect(item(m, 'scan_type').result).toBe('fail');
    expect(item(m, 'video_codec').result).toBe('fail');
    m.probe.video.fieldOrder = 'unknown';
    expect(item(m, 'scan_type').result).toBe('skipped');
  });
});
