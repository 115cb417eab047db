import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsFreeText } from '../../../../shared/http/text';
import { trim } from '../../../../shared/http/transforms';
import {
  QC_ITEM_IDS,
  QC_SEVERITIES,
  type QcItemId,
  type QcSeverity,
} from '../../../briefs/qc-profile/qc-items';

export const QC_REPORT_STATUSES = ['pending', 'running', 'pass', 'warning', 'fail', 'error'] as const;

export class QcProfileRefDto {
  id: string;
  version: number;
}

export class QcToolDto {
  @ApiProperty({ enum: ['ffmpeg'] })
  name: 'ffmpeg';
  /** `ffmpeg -version` of the worker that measured the file; null before it ran. */
  version: string | null;
}

export class QcAudioStreamDto {
  streamIndex: number;
  codec: string;
  channels: number;
  sampleRate: number;
}

export class QcProgrammeMixDto {
  /** The audio streams measured as the programme (N mono streams are joined first). */
  streams: number[];
  channels: number;
}

export class QcMeasuredDto {
  durationSec: number | null;
  width: number | null;
  height: number | null;
  /** Exact rational, e.g. "25/1" or "30000/1001". */
  frameRate: string | null;
  /** progressive, tt, bb, tb, bt or unknown (ffprobe's field_order). */
  fieldOrder: string | null;
  videoCodec: string | null;
  pixelFormat: string | null;
  audio: QcAudioStreamDto[];
  programmeMix: QcProgrammeMixDto | null;
  /** ITU-R BS.1770-4 / EBU R128 integrated loudness of the programme mix. */
  integratedLufs: number | null;
  /** null for digital silence (−∞). */
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  loudnessRangeLu: number | null;
  videoDurationSec: number | null;
  audioDurationSec: number | null;
  /** Share of all luma samples outside the luma_range check's codes, percent. */
  lumaOutOfRangePercent: number | null;
  /** The worst single frame's share, percent. */
  lumaWorstFramePercent: number | null;
}

export class QcIntervalDto {
  startSec: number;
  endSec: number;
}

export class QcWaiverDto {
  /** The user who waived the check. */
  by: string;
  reason: string;
  at: string;
}

export class QcItemDto {
  @ApiProperty({ enum: QC_ITEM_IDS })
  id: QcItemId;
  @ApiProperty({ enum: QC_SEVERITIES })
  severity: QcSeverity;
  @ApiProperty({ enum: ['pass', 'fail', 'skipped'] })
  result: 'pass' | 'fail' | 'skipped';
  expected: Record<string, unknown>;
  measured: Record<string, unknown> | null;
  intervals: QcIntervalDto[];
  message: string;
  waiver: QcWaiverDto | null;
}

export class QcErrorDto {
  /** PROBE_FAILED, UNSUPPORTED_FORMAT, NO_VIDEO_STREAM, TRUNCATED, TIMEOUT, ANALYSIS_FAILED, TOOL_MISSING. */
  code: string;
  message: string;
}

/** The technical QC report of a video deliverable (api.md "Technical QC"). */
export class QcReportDto {
  @ApiProperty({ enum: QC_REPORT_STATUSES })
  status: (typeof QC_REPORT_STATUSES)[number];
  /** 1 for the first analysis; each rerun adds one. */
  run: number;
  profile: QcProfileRefDto;
  tool: QcToolDto;
  startedAt: string | null;
  finishedAt: string | null;
  measured: QcMeasuredDto | null;
  items: QcItemDto[];
  /** Why the file could not be measured (status `error`; retried with backoff). */
  error: QcErrorDto | null;
}

export class QcWaiversDto {
  /** Ids of failed checks of the current report. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(QC_ITEM_IDS.length)
  @ArrayUnique()
  @IsIn(QC_ITEM_IDS, { each: true })
  items: QcItemId[];

  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}
