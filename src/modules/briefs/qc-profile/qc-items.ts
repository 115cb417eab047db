import { plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { validationFailed, validationOptions } from '../../../shared/http/validation';

// The checks a QC profile can hold, their parameters and their defaults. The deliverables
// module measures files against them (deliverables/qc/checks.ts).

export const QC_SEVERITIES = ['mandatory', 'warning'] as const;
export type QcSeverity = (typeof QC_SEVERITIES)[number];

/** Deliverable kinds that are checked when their content type or probe says video. */
export const QC_VIDEO_KINDS = ['programme_master', 'rough_cut', 'trailer'] as const;
export type QcVideoKind = (typeof QC_VIDEO_KINDS)[number];

/** ffprobe's `field_order` values: progressive, or interlaced with its field dominance. */
export const FIELD_ORDERS = ['progressive', 'tt', 'bb', 'tb', 'bt'] as const;

/** Mezzanine and broadcast codecs (ffprobe `codec_name`): ProRes, DNxHD/HR, AVC, HEVC, JPEG 2000, XDCAM. */
const DEFAULT_CODECS = ['prores', 'dnxhd', 'h264', 'hevc', 'jpeg2000', 'mpeg2video'];

export class ResolutionParams {
  @IsInt() @Min(16) @Max(16384) width: number;
  @IsInt() @Min(16) @Max(16384) height: number;
}

export class FrameRateParams {
  /** An exact rational, numerator/denominator: "25/1", "30000/1001". */
  @Matches(/^[1-9]\d{0,6}\/[1-9]\d{0,6}$/, {
    message: 'frameRate must be a rational such as 25/1 or 30000/1001',
  })
  frameRate: string;
}

export class ScanTypeParams {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(FIELD_ORDERS, { each: true })
  allowed: string[];
}

export class VideoCodecParams {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ArrayUnique()
  @Matches(/^[a-z0-9_]{1,32}$/, {
    each: true,
    message: 'each codec must be an ffprobe codec name such as prores',
  })
  allowed: string[];
}

export class AudioParams {
  /** Channels of the programme mix (N mono streams count as N). */
  @IsInt() @Min(1) @Max(64) minChannels: number;
  @IsInt() @Min(8000) @Max(384000) sampleRate: number;
}

export class LoudnessParams {
  @IsNumber() @Min(-70) @Max(0) targetLufs: number;
  @IsNumber() @Min(0.1) @Max(10) toleranceLu: number;
}

export class TruePeakParams {
  @IsNumber() @Min(-20) @Max(3) maxDbtp: number;
}

export class LoudnessRangeParams {
  /** null: reported only. */
  @IsOptional() @IsNumber() @Min(1) @Max(50) maxLu: number | null;
}

/** A run (black, freeze) counts when at least `minSec` of it lies outside the head and tail. */
export class RunParams {
  @IsNumber() @Min(0.5) @Max(600) minSec: number;
  @IsNumber() @Min(0) @Max(3600) ignoreHeadSec: number;
  @IsNumber() @Min(0) @Max(3600) ignoreTailSec: number;
}

export class SilenceParams extends RunParams {
  /** Below this level (dBFS, every channel) is silence. */
  @IsNumber() @Min(-120) @Max(-20) thresholdDb: number;
}

export class AvDurationParams {
  /** Audio shorter than video by more than this many frames fails. */
  @IsInt() @Min(0) @Max(1000) maxAudioShortFrames: number;
  /** Audio longer than video by more than this many seconds fails. */
  @IsNumber() @Min(0) @Max(600) maxAudioLongSec: number;
}

export class DurationParams {
  @IsNumber() @Min(1) @Max(86400) expectedSec: number;
  @IsNumber() @Min(0) @Max(3600) toleranceSec: number;
  /** The deliverable kinds held to the episode length (a trailer is not). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(QC_VIDEO_KINDS, { each: true })
  kinds: QcVideoKind[];
}

/** Luma code values (8-bit scale; ×4 for 10-bit) outside [minCode, maxCode] on more than maxPercent of a frame. */
export class LumaRangeParams {
  @IsInt() @Min(0) @Max(255) minCode: number;
  @IsInt() @Min(0) @Max(255) maxCode: number;
  @IsNumber() @Min(0) @Max(100) maxPercent: number;
}

/** Every check, in report order, with the class of its parameters. */
export const QC_ITEMS = {
  resolution: ResolutionParams,
  frame_rate: FrameRateParams,
  scan_type: ScanTypeParams,
  video_codec: VideoCodecParams,
  audio: AudioParams,
  loudness: LoudnessParams,
  true_peak: TruePeakParams,
  loudness_range: LoudnessRangeParams,
  black: RunParams,
  silence: SilenceParams,
  freeze: RunParams,
  av_duration: AvDurationParams,
  duration: DurationParams,
  luma_range: LumaRangeParams,
} as const;
export type QcItemId = keyof typeof QC_ITEMS;
export const QC_ITEM_IDS = Object.keys(QC_ITEMS) as QcItemId[];

/** The parameters of each check, typed. */
export type QcParams = { [K in QcItemId]: InstanceType<(typeof QC_ITEMS)[K]> };

export interface QcProfileItem<K extends QcItemId = QcItemId> {
  id: K;
  severity: QcSeverity;
  params: QcParams[K];
}

/** What a brief says about its deliverables (its deliverySpec and episode length). */
export interface DeliveryTargets {
  deliverySpec: { resolution?: string; frameRate?: number; loudnessLufs?: number } | null;
  episodeMinutes: number | null;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A frame rate as written in a brief (25, 29.97, 23.976) as the exact rational a file declares:
 * the NTSC family is n·1000/1001 (29.97 → 30000/1001), anything else its decimal value.
 */
export function frameRateRational(fps: number): string {
  const ntsc = fps * 1.001;
  if (!Number.isInteger(fps) && Math.abs(ntsc - Math.round(ntsc)) < 0.01) {
    return `${Math.round(ntsc) * 1000}/1001`;
  }
  const num = Math.round(fps * 1000);
  const d = gcd(num, 1000);
  return `${num / d}/${1000 / d}`;
}

/** The default parameters of each check for a brief (undefined: the brief does not say). */
export function defaultParams(t: DeliveryTargets): { [K in QcItemId]: QcParams[K] | undefined } {
  const spec = t.deliverySpec ?? {};
  const [width, height] = spec.resolution?.split('x').map(Number) ?? [];
  const run = { minSec: 2, ignoreHeadSec: 5, ignoreTailSec: 5 };
  return {
    resolution: width && height ? { width, height } : undefined,
    frame_rate: spec.frameRate ? { frameRate: frameRateRational(spec.frameRate) } : undefined,
    scan_type: { allowed: ['progressive'] },
    video_codec: { allowed: [...DEFAULT_CODECS] },
    audio: { minChannels: 2, sampleRate: 48000 },
    loudness: { targetLufs: spec.loudnessLufs ?? -23, toleranceLu: 1 },
    true_peak: { maxDbtp: -1 },
    loudness_range: { maxLu: null },
    black: { ...run },
    silence: { ...run, thresholdDb: -60 },
    freeze: { ...run },
    av_duration: { maxAudioShortFrames: 2, maxAudioLongSec: 2 },
    duration: t.episodeMinutes
      ? { expectedSec: t.episodeMinutes * 60, toleranceSec: 1, kinds: ['programme_master'] }
      : undefined,
    luma_range: { minCode: 5, maxCode: 246, maxPercent: 1 },
  };
}

const DEFAULT_SEVERITY: Record<QcItemId, QcSeverity> = {
  resolution: 'mandatory',
  frame_rate: 'mandatory',
  scan_type: 'mandatory',
  video_codec: 'mandatory',
  audio: 'mandatory',
  loudness: 'mandatory',
  true_peak: 'mandatory',
  loudness_range: 'warning',
  black: 'warning',
  silence: 'warning',
  freeze: 'warning',
  av_duration: 'mandatory',
  duration: 'mandatory',
  luma_range: 'warning',
};

/** The default profile of a brief: every check whose parameters the brief provides. */
export function defaultQcItems(t: DeliveryTargets): QcProfileItem[] {
  const params = defaultParams(t);
  return QC_ITEM_IDS.flatMap((id) => {
    const p = params[id];
    return p ? [{ id, severity: DEFAULT_SEVERITY[id], params: p }] : [];
  });
}

/**
 * A commissioner's items, each over the brief's defaults for its check: the parameters given
 * replace the defaults, and the result must be complete and valid (400 otherwise, with field
 * errors under `items.<i>.params`). Unknown parameters are refused like unknown fields.
 */
export function resolveQcItems(
  items: { id: QcItemId; severity: QcSeverity; params?: Record<string, unknown> }[],
  t: DeliveryTargets,
): QcProfileItem[] {
  const defaults = defaultParams(t);
  const errors: ValidationError[] = [];
  const resolved = items.map((item, i) => {
    const cls = QC_ITEMS[item.id] as new () => object;
    const given = validateSync(plainToInstance(cls, item.params ?? {}), {
      ...validationOptions,
      skipMissingProperties: true,
    });
    const params = plainToInstance(cls, { ...defaults[item.id], ...item.params });
    const problems = given.length ? given : validateSync(params, validationOptions);
    if (problems.length) {
      errors.push({ property: `items.${i}.params`, children: problems, constraints: {} });
    }
    return { id: item.id, severity: item.severity, params: { ...params } } as unknown as QcProfileItem;
  });
  if (errors.length) throw validationFailed(errors);
  return resolved;
}
