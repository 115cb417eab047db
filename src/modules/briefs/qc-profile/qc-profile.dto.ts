import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  ValidateNested,
} from 'class-validator';
import { QC_ITEM_IDS, QC_SEVERITIES, type QcItemId, type QcSeverity } from './qc-items';

export class QcProfileItemInputDto {
  @ApiProperty({ enum: QC_ITEM_IDS })
  @IsIn(QC_ITEM_IDS)
  id: QcItemId;

  @ApiProperty({ enum: QC_SEVERITIES })
  @IsIn(QC_SEVERITIES)
  severity: QcSeverity;

  /**
   * The check's parameters over the brief's defaults (README, "Technical QC"): resolution
   * `{ width, height }`; frame_rate `{ frameRate: "25/1" }`; scan_type `{ allowed: [progressive,
   * tt, bb, tb, bt] }`; video_codec `{ allowed: [ffprobe codec names] }`; audio `{ minChannels,
   * sampleRate }`; loudness `{ targetLufs, toleranceLu }`; true_peak `{ maxDbtp }`;
   * loudness_range `{ maxLu | null }`; black, freeze `{ minSec, ignoreHeadSec, ignoreTailSec }`;
   * silence the same and `thresholdDb`; av_duration `{ maxAudioShortFrames, maxAudioLongSec }`;
   * duration `{ expectedSec, toleranceSec, kinds }`; luma_range `{ minCode, maxCode, maxPercent }`.
   */
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}

/** The whole profile: the checks it lists (a check left out is not made). */
export class PutQcProfileDto {
  @IsArray()
  @ArrayMaxSize(QC_ITEM_IDS.length)
  @ArrayUnique((i: QcProfileItemInputDto) => i.id, { message: 'each check may appear once' })
  @ValidateNested({ each: true })
  @Type(() => QcProfileItemInputDto)
  items: QcProfileItemInputDto[];
}

export class QcProfileItemDto {
  @ApiProperty({ enum: QC_ITEM_IDS })
  id: QcItemId;
  @ApiProperty({ enum: QC_SEVERITIES })
  severity: QcSeverity;
  params: Record<string, unknown>;
}

export class QcProfileDto {
  id: string;
  briefId: string;
  /** 1, 2, …: each edit (and each change of a default profile's deliverySpec) is a new version. */
  version: number;
  /** `default`: derived from the brief's deliverySpec and episode length; `commissioner`: edited. */
  @ApiProperty({ enum: ['default', 'commissioner'] })
  source: 'default' | 'commissioner';
  items: QcProfileItemDto[];
  createdAt: string;
}
