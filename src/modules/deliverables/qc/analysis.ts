import { defaultParams, type QcParams } from '../../briefs/qc-profile/qc-items';
import type { MediaSource } from '../storage/storage-driver';
import { ffmpegVersion, runTool, ToolError, type ToolRun } from './ffmpeg';

// What ffprobe and one ffmpeg pass tell about a file. One decode of the whole file feeds every
// measurement: the video through blackdetect, freezedetect and the luma-range count; the
// programme mix through ebur128 (loudness, true peak, LRA) and silencedetect. Parsing is
// incremental, one stderr line at a time.

export type QcErrorCode =
  | 'PROBE_FAILED'
  | 'UNSUPPORTED_FORMAT'
  | 'NO_VIDEO_STREAM'
  | 'TRUNCATED'
  | 'TIMEOUT'
  | 'ANALYSIS_FAILED'
  | 'TOOL_MISSING';

/** An analysis that could not measure the file: the report is `error`, not `fail`. */
export class QcAnalysisError extends Error {
  constructor(
    readonly code: QcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Demuxers ffmpeg may use (`-format_whitelist`): delivery containers only. Playlists and
 * concat lists (hls, concat, …) would make ffmpeg open files or URLs named inside the upload.
 */
const FORMATS = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,mpegts,avi,mpeg,gxf';

export interface Interval {
  startSec: number;
  endSec: number;
}

export interface VideoStream {
  index: number;
  codec: string;
  width: number;
  height: number;
  /** Reduced rational, "25/1", "30000/1001"; null when the file does not say. */
  frameRate: string | null;
  /** ffprobe's field_order: progressive, tt, bb, tb, bt, or unknown. */
  fieldOrder: string;
  pixelFormat: string;
  durationSec: number | null;
}

export interface AudioStream {
  index: number;
  codec: string;
  channels: number;
  sampleRate: number;
  durationSec: number | null;
}

export interface Probe {
  format: string;
  durationSec: number | null;
  video: VideoStream | null;
  audio: AudioStream[];
}

export interface Measurements {
  probe: Probe;
  /** The streams measured as the programme mix, and its channels; null without audio. */
  programme: { streams: number[]; channels: number } | null;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  loudnessRangeLu: number | null;
  black: Interval[];
  silence: Interval[];
  freeze: Interval[];
  /** Share of luma samples outside the range, in percent: the whole file, the worst frame, and the frames over the limit. */
  luma: { percent: number; worstFramePercent: number; intervals: Interval[] } | null;
  /** Where the decoded video ended (the last frame's time plus its duration). */
  decodedVideoSec: number | null;
}

/** The detector settings of one pass, from the profile (defaults for checks it leaves out). */
export type AnalysisSettings = Pick<QcParams, 'black' | 'silence' | 'freeze' | 'luma_range'>;

// --- ffprobe

const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
};

/** A non-negative integer, or 0: stream indexes and sizes go into the filter graph. */
const int = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** "50/2" → "25/1"; "0/0" and nonsense → null. */
export function reduceRational(r: unknown): string | null {
  const m = typeof r === 'string' ? /^(\d+)\/(\d+)$/.exec(r) : null;
  if (!m) return null;
  const [n, d] = [Number(m[1]), Number(m[2])];
  if (!n || !d) return null;
  const g = gcd(n, d);
  return `${n / g}/${d / g}`;
}

/** A Matroska DURATION tag, "00:00:08.000000000". */
const tagSeconds = (tag: unknown): number | null => {
  const m = typeof tag === 'string' ? /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(tag) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
};

interface RawStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  field_order?: string;
  pix_fmt?: string;
  channels?: number;
  sample_rate?: string;
  duration?: string;
  tags?: Record<string, string>;
  disposition?: { attached_pic?: number };
}

/** ffprobe's `-print_format json -show_streams -show_format` output, as far as QC needs it. */
export function parseProbe(json: unknown): Probe {
  const doc = json as { streams?: RawStream[]; format?: { format_name?: string; duration?: string } };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.streams) || !doc.format) {
    throw new QcAnalysisError('PROBE_FAILED', 'ffprobe found no streams');
  }
  const streamSeconds = (s: RawStream): number | null => num(s.duration) ?? tagSeconds(s.tags?.DURATION);
  // Cover art is a video stream of one picture: not the programme.
  const v = doc.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  return {
    format: doc.format.format_name ?? 'unknown',
    durationSec: num(doc.format.duration),
    video: v
      ? {
          index: int(v.index),
          codec: v.codec_name ?? 'unknown',
          width: int(v.width),
          height: int(v.height),
          frameRate: reduceRational(v.r_frame_rate) ?? reduceRational(v.avg_frame_rate),
          fieldOrder: v.field_order ?? 'unknown',
          pixelFormat: v.pix_fmt ?? 'unknown',
          durationSec: streamSeconds(v),
        }
      : null,
    audio: doc.streams
      .filter((s) => s.codec_type === 'audio' && int(s.channels) > 0)
      .map((s) => ({
        index: int(s.index),
        codec: s.codec_name ?? 'unknown',
        channels: int(s.channels),
        sampleRate: num(s.sample_rate) ?? 0,
        durationSec: streamSeconds(s),
      })),
  };
}

const PROBE_TIMEOUT_MS = 60_000;

export async function probe(source: MediaSource): Promise<Probe> {
  const run = await tool(
    'ffprobe',
    [
      '-v',
      'error',
      '-protocol_whitelist',
      source.protocols,
      '-format_whitelist',
      FORMATS,
      '-print_format',
      'json',
      '-show_streams',
      '-show_format',
      source.input,
    ],
    { timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: 4 << 20 },
  );
  if (run.timedOut)
    throw new QcAnalysisError('TIMEOUT', `ffprobe took longer than ${PROBE_TIMEOUT_MS / 1000} s`);
  const message = run.stderrTail.join('\n').trim();
  if (run.code !== 0) {
    if (/not on (the )?whitelist/i.test(message)) {
      throw new QcAnalysisError('UNSUPPORTED_FORMAT', 'The container is not a delivery format QC reads');
    }
    if (/moov atom not found|end of file|truncat/i.test(message)) {
      throw new QcAnalysisError('TRUNCATED', lastLine(message) ?? 'The file ends early');
    }
    throw new QcAnalysisError('PROBE_FAILED', lastLine(message) ?? `ffprobe exited with ${run.code}`);
  }
  try {
    return parseProbe(JSON.parse(run.stdout));
  } catch (err) {
    if (err instanceof QcAnalysisError) throw err;
    throw new QcAnalysisError('PROBE_FAILED', 'ffprobe wrote no readable JSON');
  }
}

// --- The programme mix

/**
 * The streams measured as the programme: the first audio stream when it has two channels or
 * more; otherwise leading mono streams are joined: six as 5.1 (L R C LFE Ls Rs), else the first
 * two as stereo (a mono track measured alone reads 3 dB low). A single mono stream is itself.
 */
export function programmeMix(audio: AudioStream[]): { streams: AudioStream[]; layout: string | null } | null {
  const first = audio[0];
  if (!first) return null;
  if (first.channels >= 2) return { streams: [first], layout: null };
  let monos = 0;
  while (audio[monos]?.channels === 1) monos++;
  if (monos === 6) return { streams: audio.slice(0, 6), layout: '5.1' };
  if (monos >= 2) return { streams: audio.slice(0, 2), layout: 'stereo' };
  return { streams: [first], layout: null };
}

// --- The ffmpeg pass

/** Bits per luma sample of an ffmpeg pixel format ("yuv422p10le" → 10). */
export function lumaBits(pixelFormat: string): number {
  const m = /p(9|10|12|14|16)(le|be)?$/.exec(pixelFormat);
  return m ? Number(m[1]) : 8;
}

const isYuv = (pixelFormat: string): boolean => /^yuvj?[0-9]/.test(pixelFormat);

/** A number as a filter argument: digits, a point, a sign; never a user string. */
const arg = (n: number): string => {
  if (!Number.isFinite(n)) throw new Error(`not a number: ${n}`);
  return String(Math.round(n * 1000) / 1000);
};

/**
 * The `-filter_complex` graph of the one pass. Luma range: every luma sample is mapped to 16
 * when outside [minCode, maxCode] (scaled to the bit depth) and to 0 inside, then averaged over
 * 4×4 blocks (an exact integer count per block, 0–16) and signalstats' YAVG of that ÷ 16 is the
 * share of the frame outside the range. The same count at full size costs three times as much
 * CPU (signalstats computes chroma hue and saturation for every sample).
 */
export function analysisGraph(p: Probe, s: AnalysisSettings): { graph: string; outputs: string[] } {
  const parts: string[] = [];
  const outputs: string[] = [];
  if (p.video) {
    const v = p.video;
    const yuv = isYuv(v.pixelFormat);
    const bits = yuv ? lumaBits(v.pixelFormat) : 8;
    const scale = 2 ** (bits - 8);
    const lo = s.luma_range.minCode * scale;
    const hi = (s.luma_range.maxCode + 1) * scale - 1;
    const crop =
      v.width % 4 || v.height % 4 ? `crop=${v.width - (v.width % 4)}:${v.height - (v.height % 4)}:0:0,` : '';
    parts.push(
      `[0:${v.index}]blackdetect=d=${arg(s.black.minSec)}:pix_th=0.10,` +
        `freezedetect=n=-60dB:d=${arg(s.freeze.minSec)},` +
        `${yuv ? '' : 'format=yuv444p,'}${crop}` +
        `lutyuv=y='if(lt(val,${lo})+gt(val,${hi}),16,0)',scale=w=iw/4:h=ih/4:flags=area,` +
        `signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG[v]`,
    );
    outputs.push('[v]');
  }
  const mix = programmeMix(p.audio);
  if (mix) {
    const inputs = mix.streams.map((a) => `[0:${a.index}]`).join('');
    const join = mix.layout ? `join=inputs=${mix.streams.length}:channel_layout=${mix.layout},` : '';
    parts.push(
      `${inputs}${join}ebur128=peak=sample+true:framelog=verbose,` +
        `silencedetect=n=${arg(s.silence.thresholdDb)}dB:d=${arg(s.silence.minSec)}[a]`,
    );
    outputs.push('[a]');
  }
  return { graph: parts.join(';'), outputs };
}

export function analysisArgs(source: MediaSource, p: Probe, s: AnalysisSettings): string[] {
  const { graph, outputs } = analysisGraph(p, s);
  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-v',
    'info',
    '-protocol_whitelist',
    source.protocols,
    '-format_whitelist',
    FORMATS,
    '-i',
    source.input,
    '-filter_complex',
    graph,
    ...outputs.flatMap((o) => ['-map', o]),
    '-f',
    'null',
    '-',
  ];
}

// --- stderr

const NUMBER = String.raw`(-?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|inf))`;
// Every pattern is anchored at its filter's log prefix: a file's metadata (printed with the
// input's description) must not read as a measurement.
const AT = String.raw` @ 0x[0-9a-f]+\] `;
const BLACK = new RegExp(String.raw`^\[blackdetect${AT}black_start:${NUMBER} black_end:${NUMBER}`);
const FREEZE = new RegExp(
  String.raw`^\[freezedetect${AT}lavfi\.freezedetect\.freeze_(start|end): ${NUMBER}$`,
);
const SILENCE = new RegExp(String.raw`^\[silencedetect${AT}silence_(start|end): ${NUMBER}`);
const PTS = new RegExp(String.raw`^\[Parsed_metadata_\d+${AT}frame:\d+\s+pts:\S+\s+pts_time:${NUMBER}$`);
const YAVG = new RegExp(String.raw`^\[Parsed_metadata_\d+${AT}lavfi\.signalstats\.YAVG=${NUMBER}$`);
const SUMMARY = new RegExp(String.raw`^\[Parsed_ebur128_\d+${AT}Summary:$`);
const SUMMARY_VALUE = new RegExp(String.raw`^\s+(I|LRA|Peak):\s+${NUMBER} (?:LUFS|LU|dBFS)`);

const parseNumber = (s: string): number => (s === '-inf' ? -Infinity : s === 'inf' ? Infinity : Number(s));

/**
 * Reads ffmpeg's stderr line by line. ebur128 prints a summary when its filter graph is torn
 * down, and ffmpeg builds the graph twice (once to probe it): only the last summary counts.
 */
export class AnalysisLog {
  private section: 'I' | 'LRA' | 'sample' | 'true' | null = null;
  private summary: { I?: number; LRA?: number; sample?: number; true?: number } | null = null;
  readonly black: Interval[] = [];
  readonly silence: Interval[] = [];
  readonly freeze: Interval[] = [];
  private freezeStart: number | null = null;
  private silenceStart: number | null = null;
  private pts: number | null = null;
  private lastPts: number | null = null;
  private frames = 0;
  private shareSum = 0;
  private worst = 0;
  private over: Interval[] = [];

  constructor(
    /** Seconds per frame, to close a frame interval. */
    private readonly frameSec: number,
    /** Percent of a frame's luma samples above which the frame counts. */
    private readonly maxPercent: number,
  ) {}

  line(l: string): void {
    let m: RegExpExecArray | null;
    if ((m = PTS.exec(l))) {
      this.pts = parseNumber(m[1]!);
      this.lastPts = this.pts;
    } else if ((m = YAVG.exec(l))) {
      this.frame(parseNumber(m[1]!) / 16);
    } else if ((m = BLACK.exec(l))) {
      this.black.push({ startSec: parseNumber(m[1]!), endSec: parseNumber(m[2]!) });
    } else if ((m = FREEZE.exec(l))) {
      if (m[1] === 'start') this.freezeStart = parseNumber(m[2]!);
      else if (this.freezeStart !== null) {
        this.freeze.push({ startSec: this.freezeStart, endSec: parseNumber(m[2]!) });
        this.freezeStart = null;
      }
    } else if ((m = SILENCE.exec(l))) {
      if (m[1] === 'start') this.silenceStart = parseNumber(m[2]!);
      else if (this.silenceStart !== null) {
        this.silence.push({ startSec: this.silenceStart, endSec: parseNumber(m[2]!) });
        this.silenceStart = null;
      }
    } else if (SUMMARY.test(l)) {
      this.summary = {};
      this.section = null;
    } else if (this.summary) {
      this.summaryLine(l);
    }
  }

  private summaryLine(l: string): void {
    const t = l.trim();
    if (t === 'Integrated loudness:') this.section = 'I';
    else if (t === 'Loudness range:') this.section = 'LRA';
    else if (t === 'Sample peak:') this.section = 'sample';
    else if (t === 'True peak:') this.section = 'true';
    const m = SUMMARY_VALUE.exec(l);
    if (!m || !this.section) return;
    const value = parseNumber(m[2]!);
    if (m[1] === 'I' && this.section === 'I') this.summary!.I = value;
    else if (m[1] === 'LRA' && this.section === 'LRA') this.summary!.LRA = value;
    else if (m[1] === 'Peak' && (this.section === 'sample' || this.section === 'true')) {
      this.summary![this.section] = value;
    }
  }

  /** One frame's share (0–1) of luma samples out of range. */
  private frame(share: number): void {
    const at = this.pts ?? this.frames * this.frameSec;
    this.frames++;
    this.shareSum += share;
    const percent = share * 100;
    this.worst = Math.max(this.worst, percent);
    if (percent > this.maxPercent) {
      const open = this.over[this.over.length - 1];
      // Consecutive frames make one interval.
      if (open && at - open.endSec < this.frameSec / 2) open.endSec = at + this.frameSec;
      else this.over.push({ startSec: at, endSec: at + this.frameSec });
    }
  }

  /** The measurements, runs still open at the end closed at `endSec` (a freeze to the last frame). */
  result(endSec: number): Omit<Measurements, 'probe' | 'programme'> {
    const freeze = [...this.freeze];
    if (this.freezeStart !== null) freeze.push({ startSec: this.freezeStart, endSec });
    const silence = [...this.silence];
    if (this.silenceStart !== null) silence.push({ startSec: this.silenceStart, endSec });
    const s = this.summary ?? {};
    const finite = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);
    return {
      integratedLufs: finite(s.I),
      truePeakDbtp: finite(s.true),
      samplePeakDbfs: finite(s.sample),
      loudnessRangeLu: finite(s.LRA),
      black: this.black,
      silence,
      freeze,
      luma: this.frames
        ? {
            percent: round((this.shareSum / this.frames) * 100, 4),
            worstFramePercent: round(this.worst, 4),
            intervals: this.over.map((i) => ({ startSec: round(i.startSec, 3), endSec: round(i.endSec, 3) })),
          }
        : null,
      decodedVideoSec: this.lastPts === null ? null : round(this.lastPts + this.frameSec, 3),
    };
  }

  /** Whether ebur128's final summary was read (it is missing when ffmpeg died). */
  get hasSummary(): boolean {
    return this.summary?.I !== undefined;
  }
}

const round = (v: number, places: number): number => Math.round(v * 10 ** places) / 10 ** places;

const lastLine = (text: string): string | undefined =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();

/** A tool that could not run (missing, or writing without bound) as an analysis error. */
const toolFailure = (err: unknown): unknown =>
  err instanceof ToolError
    ? new QcAnalysisError(err.reason === 'missing' ? 'TOOL_MISSING' : 'PROBE_FAILED', err.message)
    : err;

async function tool(
  bin: 'ffmpeg' | 'ffprobe',
  args: string[],
  opts: Parameters<typeof runTool>[2],
): Promise<ToolRun> {
  try {
    return await runTool(bin, args, opts);
  } catch (err) {
    throw toolFailure(err);
  }
}

/** This worker's ffmpeg version (TOOL_MISSING without ffmpeg). */
export async function toolVersion(): Promise<string> {
  try {
    return await ffmpegVersion();
  } catch (err) {
    throw toolFailure(err);
  }
}

/** Seconds of one frame at a rational rate (25 fps when the file does not say). */
export const frameSeconds = (rate: string | null): number => {
  const [n, d] = (rate ?? '25/1').split('/').map(Number);
  return d! / n!;
};

/** The detector settings for a profile's items (the defaults of qc-items.ts where it has none). */
export function analysisSettings(items: { id: string; params: unknown }[]): AnalysisSettings {
  const find = <K extends keyof AnalysisSettings>(id: K): AnalysisSettings[K] | undefined =>
    items.find((i) => i.id === id)?.params as AnalysisSettings[K] | undefined;
  const defaults = defaultParams({ deliverySpec: null, episodeMinutes: null });
  return {
    black: find('black') ?? defaults.black!,
    freeze: find('freeze') ?? defaults.freeze!,
    silence: find('silence') ?? defaults.silence!,
    luma_range: find('luma_range') ?? defaults.luma_range!,
  };
}

/**
 * The whole analysis of a probed file: one ffmpeg pass, killed after `timeoutMs`. A pass that
 * ends early (ffmpeg failed, the decoded video stops more than a second before the container's
 * duration, or no loudness summary) is an error, never a measurement of half a file.
 */
export async function analyse(
  source: MediaSource,
  p: Probe,
  s: AnalysisSettings,
  timeoutMs: number,
): Promise<Measurements> {
  if (!p.video) throw new QcAnalysisError('NO_VIDEO_STREAM', 'The file has no video stream');
  const log = new AnalysisLog(frameSeconds(p.video.frameRate), s.luma_range.maxPercent);
  const run = await tool('ffmpeg', analysisArgs(source, p, s), {
    timeoutMs,
    onLine: (l) => log.line(l),
  });
  if (run.timedOut) {
    throw new QcAnalysisError('TIMEOUT', `The analysis took longer than ${Math.round(timeoutMs / 1000)} s`);
  }
  const message = run.stderrTail.join('\n');
  if (run.code !== 0) {
    throw new QcAnalysisError(
      'ANALYSIS_FAILED',
      lastLine(message) ?? `ffmpeg exited with ${run.code ?? run.signal}`,
    );
  }
  const duration = p.durationSec ?? p.video.durationSec;
  const m = log.result(duration ?? 0);
  const expected = p.video.durationSec ?? duration;
  if (m.decodedVideoSec === null || (expected !== null && m.decodedVideoSec < expected - 1)) {
    throw new QcAnalysisError(
      'TRUNCATED',
      `The video decodes to ${m.decodedVideoSec ?? 0} s of the ${expected ?? '?'} s the file declares`,
    );
  }
  if (p.audio.length && !log.hasSummary) {
    throw new QcAnalysisError('ANALYSIS_FAILED', 'ffmpeg ended without a loudness summary');
  }
  const mix = programmeMix(p.audio);
  return {
    probe: p,
    programme: mix && {
      streams: mix.streams.map((a) => a.index),
      channels: mix.streams.reduce((n, a) => n + a.channels, 0),
    },
    ...m,
  };
}
