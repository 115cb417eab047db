import type { QcItemId, QcParams, QcProfileItem, QcSeverity } from '../../briefs/qc-profile/qc-items';
import { frameSeconds, reduceRational, type Interval, type Measurements } from './analysis';

// A profile's checks applied to a file's measurements: pure, so every rule is unit-tested.

export type QcItemResult = 'pass' | 'fail' | 'skipped';
export type QcVerdict = 'pass' | 'warning' | 'fail';

export interface QcItemOutcome {
  id: QcItemId;
  severity: QcSeverity;
  result: QcItemResult;
  expected: Record<string, unknown>;
  measured: Record<string, unknown> | null;
  intervals: Interval[];
  message: string;
}

/** What the report shows as measured (api.md "Technical QC"). */
export interface QcMeasured {
  durationSec: number | null;
  width: number | null;
  height: number | null;
  frameRate: string | null;
  fieldOrder: string | null;
  videoCodec: string | null;
  pixelFormat: string | null;
  audio: { streamIndex: number; codec: string; channels: number; sampleRate: number }[];
  /** The streams measured as the programme mix and its channels. */
  programmeMix: { streams: number[]; channels: number } | null;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  loudnessRangeLu: number | null;
  videoDurationSec: number | null;
  audioDurationSec: number | null;
  lumaOutOfRangePercent: number | null;
  lumaWorstFramePercent: number | null;
}

/** -inf (digital silence) has no JSON spelling: null. */
const finite = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

export function measuredOf(m: Measurements): QcMeasured {
  const v = m.probe.video;
  const programme = m.probe.audio.filter((a) => m.programme?.streams.includes(a.index));
  const audioDurations = programme.map((a) => a.durationSec).filter((d): d is number => d !== null);
  return {
    durationSec: m.probe.durationSec ?? v?.durationSec ?? null,
    width: v?.width ?? null,
    height: v?.height ?? null,
    frameRate: v?.frameRate ?? null,
    fieldOrder: v?.fieldOrder ?? null,
    videoCodec: v?.codec ?? null,
    pixelFormat: v?.pixelFormat ?? null,
    audio: m.probe.audio.map((a) => ({
      streamIndex: a.index,
      codec: a.codec,
      channels: a.channels,
      sampleRate: a.sampleRate,
    })),
    programmeMix: m.programme,
    integratedLufs: finite(m.integratedLufs),
    truePeakDbtp: finite(m.truePeakDbtp),
    samplePeakDbfs: finite(m.samplePeakDbfs),
    loudnessRangeLu: finite(m.loudnessRangeLu),
    videoDurationSec: v?.durationSec ?? null,
    audioDurationSec: audioDurations.length ? Math.min(...audioDurations) : null,
    lumaOutOfRangePercent: m.luma?.percent ?? null,
    lumaWorstFramePercent: m.luma?.worstFramePercent ?? null,
  };
}

type Outcome = Omit<QcItemOutcome, 'id' | 'severity' | 'intervals'> & { intervals?: Interval[] };
type Check<K extends QcItemId> = (p: QcParams[K], m: Measurements, x: QcMeasured, kind: string) => Outcome;

// Measurements come to 0.1 LU / dB: a small epsilon keeps exactly-on-the-limit values in.
const EPS = 1e-6;

const skipped = (expected: Record<string, unknown>, message: string): Outcome => ({
  result: 'skipped',
  expected,
  measured: null,
  message,
});

const verdict = (ok: boolean): QcItemResult => (ok ? 'pass' : 'fail');

const fmt = (v: number): string => String(Math.round(v * 1000) / 1000);

/**
 * Runs of black, silence or freeze: every run found is listed; the check fails on a run with at
 * least `minSec` of it outside the first `ignoreHeadSec` and the last `ignoreTailSec`.
 */
function runs(what: string, found: Interval[], p: QcParams['black'], durationSec: number | null): Outcome {
  const from = p.ignoreHeadSec;
  const to = (durationSec ?? Infinity) - p.ignoreTailSec;
  const counted = found.filter((r) => Math.min(r.endSec, to) - Math.max(r.startSec, from) >= p.minSec - EPS);
  return {
    result: verdict(counted.length === 0),
    expected: { ...p },
    measured: { runs: found.length, counted: counted.length },
    intervals: found,
    message: counted.length
      ? `${counted.length} ${what} run(s) of ${fmt(p.minSec)} s or more outside the first ${fmt(from)} s and the last ${fmt(p.ignoreTailSec)} s`
      : found.length
        ? `${found.length} ${what} run(s) found, all within the first ${fmt(from)} s or the last ${fmt(p.ignoreTailSec)} s`
        : `No ${what} run of ${fmt(p.minSec)} s or more`,
  };
}

const CHECKS: { [K in QcItemId]: Check<K> } = {
  resolution: (p, _m, x) => ({
    result: verdict(x.width === p.width && x.height === p.height),
    expected: { ...p },
    measured: { width: x.width, height: x.height },
    message: `${x.width}x${x.height}, expected ${p.width}x${p.height}`,
  }),
  frame_rate: (p, _m, x) => {
    const expected = reduceRational(p.frameRate);
    if (!x.frameRate) return skipped({ ...p }, 'The file declares no frame rate');
    return {
      result: verdict(x.frameRate === expected),
      expected: { frameRate: expected },
      measured: { frameRate: x.frameRate },
      message: `${x.frameRate} fps, expected exactly ${expected}`,
    };
  },
  scan_type: (p, _m, x) => {
    if (!x.fieldOrder || x.fieldOrder === 'unknown') {
      return skipped({ ...p }, 'The file does not declare its field order');
    }
    return {
      result: verdict(p.allowed.includes(x.fieldOrder)),
      expected: { ...p },
      measured: { fieldOrder: x.fieldOrder },
      message: `Field order ${x.fieldOrder}; allowed: ${p.allowed.join(', ')}`,
    };
  },
  video_codec: (p, _m, x) => ({
    result: verdict(x.videoCodec !== null && p.allowed.includes(x.videoCodec)),
    expected: { ...p },
    measured: { videoCodec: x.videoCodec },
    message: `Codec ${x.videoCodec}; allowed: ${p.allowed.join(', ')}`,
  }),
  audio: (p, m, x) => {
    if (!x.programmeMix) {
      return {
        result: 'fail',
        expected: { ...p },
        measured: { channels: 0 },
        message: 'The file has no audio',
      };
    }
    const rates = [
      ...new Set(
        x.audio.filter((a) => m.programme!.streams.includes(a.streamIndex)).map((a) => a.sampleRate),
      ),
    ];
    const ok = x.programmeMix.channels >= p.minChannels && rates.every((r) => r === p.sampleRate);
    return {
      result: verdict(ok),
      expected: { ...p },
      measured: { channels: x.programmeMix.channels, sampleRates: rates, streams: x.programmeMix.streams },
      message: `Programme mix of ${x.programmeMix.channels} channel(s) at ${rates.join(', ')} Hz (streams ${x.programmeMix.streams.join(', ')})`,
    };
  },
  loudness: (p, _m, x) => {
    if (x.integratedLufs === null) return skipped({ ...p }, 'No audio to measure');
    const off = x.integratedLufs - p.targetLufs;
    return {
      result: verdict(Math.abs(off) <= p.toleranceLu + EPS),
      expected: { ...p },
      measured: { integratedLufs: x.integratedLufs },
      message: `${x.integratedLufs} LUFS integrated (ITU-R BS.1770), ${off >= 0 ? '+' : ''}${fmt(off)} LU from the target ${p.targetLufs} ± ${p.toleranceLu} LU`,
    };
  },
  true_peak: (p, m, x) => {
    if (!x.programmeMix) return skipped({ ...p }, 'No audio to measure');
    const peak = m.truePeakDbtp;
    return {
      result: verdict(peak === null || peak <= p.maxDbtp + EPS),
      expected: { ...p },
      measured: { truePeakDbtp: x.truePeakDbtp, samplePeakDbfs: x.samplePeakDbfs },
      message: `True peak ${x.truePeakDbtp ?? '-inf'} dBTP, at most ${p.maxDbtp} dBTP allowed`,
    };
  },
  loudness_range: (p, _m, x) => {
    if (x.loudnessRangeLu === null) return skipped({ ...p }, 'No audio to measure');
    return {
      result: verdict(p.maxLu === null || x.loudnessRangeLu <= p.maxLu + EPS),
      expected: { ...p },
      measured: { loudnessRangeLu: x.loudnessRangeLu },
      message:
        p.maxLu === null
          ? `Loudness range ${x.loudnessRangeLu} LU (reported)`
          : `Loudness range ${x.loudnessRangeLu} LU, at most ${p.maxLu} LU allowed`,
    };
  },
  black: (p, m, x) => runs('black', m.black, p, x.durationSec),
  silence: (p, m, x) =>
    x.programmeMix ? runs('silence', m.silence, p, x.durationSec) : skipped({ ...p }, 'No audio'),
  freeze: (p, m, x) => runs('freeze', m.freeze, p, x.durationSec),
  av_duration: (p, _m, x) => {
    if (!x.programmeMix) return skipped({ ...p }, 'No audio');
    if (x.videoDurationSec === null || x.audioDurationSec === null) {
      return skipped({ ...p }, 'The file does not declare its stream durations');
    }
    const frame = frameSeconds(x.frameRate);
    const diff = x.audioDurationSec - x.videoDurationSec;
    const ok = diff >= -p.maxAudioShortFrames * frame - EPS && diff <= p.maxAudioLongSec + EPS;
    return {
      result: verdict(ok),
      expected: { ...p },
      measured: {
        videoSec: x.videoDurationSec,
        audioSec: x.audioDurationSec,
        differenceSec: Math.round(diff * 1000) / 1000,
      },
      message:
        Math.abs(diff) < EPS
          ? 'Audio and video are the same length'
          : `Audio ${diff < 0 ? 'shorter' : 'longer'} than video by ${fmt(Math.abs(diff))} s (${fmt(Math.abs(diff) / frame)} frames)`,
    };
  },
  duration: (p, _m, x, kind) => {
    if (!(p.kinds as string[]).includes(kind)) return skipped({ ...p }, `Not checked for ${kind}`);
    if (x.durationSec === null) return skipped({ ...p }, 'The file does not declare its duration');
    const off = x.durationSec - p.expectedSec;
    return {
      result: verdict(Math.abs(off) <= p.toleranceSec + EPS),
      expected: { ...p },
      measured: { durationSec: x.durationSec },
      message: `${fmt(x.durationSec)} s, expected ${p.expectedSec} ± ${p.toleranceSec} s`,
    };
  },
  luma_range: (p, m, x) => {
    if (!m.luma) return skipped({ ...p }, 'No video frames');
    const over = m.luma.intervals;
    return {
      result: verdict(over.length === 0),
      expected: { ...p },
      measured: { percent: x.lumaOutOfRangePercent, worstFramePercent: x.lumaWorstFramePercent },
      intervals: over,
      message: over.length
        ? `Luma outside ${p.minCode}–${p.maxCode} on more than ${p.maxPercent} % of the picture in ${over.length} interval(s) (worst frame ${x.lumaWorstFramePercent} %)`
        : `Luma outside ${p.minCode}–${p.maxCode} on at most ${x.lumaWorstFramePercent} % of any frame`,
    };
  },
};

/**
 * The report's items and status: `fail` when a mandatory check fails, `warning` when only
 * warnings fail, `pass` otherwise (waivers do not change it; they lift the acceptance gate).
 */
export function evaluate(
  items: QcProfileItem[],
  m: Measurements,
  kind: string,
): { status: QcVerdict; measured: QcMeasured; items: QcItemOutcome[] } {
  const measured = measuredOf(m);
  const outcomes = items.map((item): QcItemOutcome => {
    const check = CHECKS[item.id] as Check<QcItemId>;
    const o = check(item.params, m, measured, kind);
    return { id: item.id, severity: item.severity, ...o, intervals: o.intervals ?? [] };
  });
  const failed = outcomes.filter((o) => o.result === 'fail');
  const status: QcVerdict = failed.some((o) => o.severity === 'mandatory')
    ? 'fail'
    : failed.length
      ? 'warning'
      : 'pass';
  return { status, measured, items: outcomes };
}
