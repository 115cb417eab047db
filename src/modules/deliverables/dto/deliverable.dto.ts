import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { trim } from '../../../shared/http/transforms';
import { IsFreeText } from '../../../shared/http/text';
import { DELIVERABLE_STATUSES } from '../deliverable-status';
import { QcReportDto } from '../qc/dto/qc.dto';

export const DELIVERABLE_KINDS = [
  'programme_master',
  'rough_cut',
  'trailer',
  'script',
  'subtitles',
  'artwork',
  'music_cue_sheet',
  'other',
] as const;
export type DeliverableKind = (typeof DELIVERABLE_KINDS)[number];

export class RegisterDeliverableDto {
  @ApiProperty({ enum: DELIVERABLE_KINDS })
  @IsIn(DELIVERABLE_KINDS)
  kind: DeliverableKind;

  /**
   * Shown and used for downloads only; stored objects are named by id. Accepted as sent and
   * sanitised (sanitizeFileName: no directories, control or bidi characters).
   */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  fileName: string;

  /** Bytes; at most MAX_UPLOAD_BYTES (413 otherwise). */
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  size: number;

  /** Hex SHA-256 of the file; the upload is rejected if it does not match. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 hex characters' })
  sha256: string;

  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'contentType must be a media type such as video/quicktime' })
  @MaxLength(200)
  contentType: string;
}

export class DeliverableDto {
  id: string;
  milestoneId: string;
  @ApiProperty({ enum: DELIVERABLE_KINDS })
  kind: DeliverableKind;
  fileName: string;
  size: number;
  sha256: string;
  contentType: string;
  version: number;
  @ApiProperty({ enum: DELIVERABLE_STATUSES })
  status: string;
  /** Technical QC report: null when the file is not a video, or QC has not run yet. */
  qc: QcReportDto | null;
  createdAt: string;
}

export class RegisteredDeliverableDto {
  deliverable: DeliverableDto;
  /** tus 1.0 upload URL: HEAD and PATCH it (with the same bearer token). */
  uploadUrl: string;
}

export class ChangesRequestDto {
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(8000)
  notes: string;
}

export class DeliverablePageDto {
  items: DeliverableDto[];
  nextCursor: string | null;
}
