import { ReasonDto } from '../../../shared/http/reason.dto';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '../../../shared/money';
import { PageQuery } from '../../../shared/http/pagination';
import { BRIEF_STATUSES, type BriefStatus } from '../brief-status';
import { lower, trim } from '../../../shared/http/transforms';
import { IsFreeText, IsSingleLineText } from '../../../shared/http/text';

/** A brief's genre: lower case, 1-40 letters, digits, spaces or -_. */
export const BRIEF_GENRE = /^[\p{L}\p{N} _-]{1,40}$/u;

export const BRIEF_FORMATS = [
  'series',
  'film',
  'documentary',
  'entertainment',
  'news',
  'animation',
  'other',
] as const;
export type BriefFormat = (typeof BRIEF_FORMATS)[number];

export class BudgetDto {
  @ValidateNested()
  @Type(() => MoneyDto)
  min: MoneyDto;

  @ValidateNested()
  @Type(() => MoneyDto)
  max: MoneyDto;
}

export class RightsDto {
  /** ISO 3166-1 alpha-2 codes, or WW for worldwide. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, {
    each: true,
    message: 'each territory must be an ISO 3166-1 alpha-2 code (WW: world)',
  })
  territories: string[];

  @IsInt()
  @Min(1)
  @Max(99)
  licenceYears: number;

  @IsInt()
  @Min(1)
  @Max(1000)
  runs: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsSingleLineText({ each: true })
  @MaxLength(40, { each: true })
  platforms: string[];
}

export class DeliverySpecDto {
  @IsOptional()
  @IsString()
  @IsFreeText()
  @MaxLength(5000)
  notes?: string;

  /** e.g. 1920x1080 or 3840x2160. */
  @IsOptional()
  @Matches(/^\d{3,5}x\d{3,5}$/, { message: 'resolution must look like 1920x1080' })
  resolution?: string;

  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(1)
  @Max(240)
  frameRate?: number;

  /** Integrated loudness target, e.g. -23 (EBU R128). */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(-70)
  @Max(0)
  loudnessLufs?: number;
}

export class CriterionDto {
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(80)
  name: string;

  /** Whole number; the weights of a brief sum to 100. */
  @IsInt()
  @Min(1)
  @Max(100)
  weight: number;
}

/**
 * A spoken audio language of a programme: how many minutes of each episode are spoken in it.
 * Subtitles are not a language: a Russian programme with Kazakh subtitles is `[{ ru, 44 }]`. The
 * minutes of a brief's (or contract's) audio languages add up to at most `episodeMinutes`
 * (music, silence and effects may take the rest); the local-content report counts `kk` minutes.
 */
export class AudioLanguageDto {
  /** ISO 639-1 code, e.g. kk, ru, en. */
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO 639-1 code such as kk' })
  language: string;

  /** Minutes of each episode spoken in this language (whole minutes, at least 1). */
  @IsInt()
  @Min(1)
  @Max(600)
  minutes: number;
}

/** The list rules of `audioLanguages` (brief and contract bodies alike): one entry per language. */
export function IsAudioLanguages(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMaxSize(20),
    ArrayUnique((l: AudioLanguageDto) => l?.language, { message: 'each audio language must appear once' }),
    ValidateNested({ each: true }),
    Type(() => AudioLanguageDto),
  );
}

/** The brief's own fields: all optional in a draft, checked for completeness at publishing. */
export class BriefFieldsDto {
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MaxLength(5000)
  synopsis?: string;

  @IsOptional()
  @Transform(lower)
  @Matches(BRIEF_GENRE, { message: 'genre must be 1-40 letters, digits, spaces or -_' })
  genre?: string;

  @ApiPropertyOptional({ enum: BRIEF_FORMATS })
  @IsOptional()
  @IsIn(BRIEF_FORMATS)
  format?: BriefFormat;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  episodes?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  episodeMinutes?: number;

  /** ISO 639-1 codes, e.g. kk, ru, en. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[a-z]{2}$/, { each: true, message: 'each language must be an ISO 639-1 code such as kk' })
  languages?: string[];

  /**
   * The spoken audio languages with their minutes per episode (subtitles are not a language);
   * the contract drafted at award starts from them.
   */
  @IsOptional()
  @IsAudioLanguages()
  audioLanguages?: AudioLanguageDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetDto)
  budget?: BudgetDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => RightsDto)
  rights?: RightsDto;

  @IsOptional()
  @IsBoolean()
  domesticOnly?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => DeliverySpecDto)
  deliverySpec?: DeliverySpecDto;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  questionsCloseAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  bidsCloseAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  deliveryDueAt?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria?: CriterionDto[];

  @ApiPropertyOptional({ enum: ['open', 'invited'] })
  @IsOptional()
  @IsIn(['open', 'invited'])
  visibility?: 'open' | 'invited';
}

export class CreateBriefDto extends BriefFieldsDto {}

export class UpdateBriefDto extends PartialType(BriefFieldsDto) {}

/** What an amendment may change: everything but the visibility. */
export class AmendmentChangesDto extends PartialType(OmitType(BriefFieldsDto, ['visibility'] as const)) {}

export class AmendBriefDto {
  @ValidateNested()
  @Type(() => AmendmentChangesDto)
  changes: AmendmentChangesDto;

  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}

export class CancelBriefDto extends ReasonDto {}

export class InviteStudiosDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    each: true,
    message: 'each studio id must be a UUID',
  })
  studioIds: string[];
}

/** The studios invited to a brief, after an invitation. */
export class InvitationsDto {
  briefId: string;
  studioIds: string[];
}

export class ListBriefsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BRIEF_STATUSES })
  @IsOptional()
  @IsIn(BRIEF_STATUSES)
  status?: BriefStatus;

  @IsOptional()
  @Transform(lower)
  @IsString()
  @IsSingleLineText()
  @MaxLength(40)
  genre?: string;

  @ApiPropertyOptional({ enum: BRIEF_FORMATS })
  @IsOptional()
  @IsIn(BRIEF_FORMATS)
  format?: BriefFormat;

  /** Full-text search over title and synopsis (any language; words are matched as prefixes). */
  @IsOptional()
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  /** Briefs whose budget maximum is at least this (minor units). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  budgetMin?: number;

  /** Briefs whose budget minimum is at most this (minor units). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  budgetMax?: number;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  closingBefore?: string;
}

export class OrganisationRef {
  id: string;
  name: string;
}

export class AmendmentDto {
  id: string;
  changes: Record<string, unknown>;
  reason: string;
  createdAt: string;
}

export class BriefOriginCreditDto {
  /** The originator's name, shown only when they agreed to be credited. */
  name: string;
}

/** The viewer's idea a brief was converted from (api.md "Brief origin"). */
export class BriefOriginDto {
  @ApiProperty({ format: 'uuid' })
  ideaId: string;
  /** Null when the originator did not want to be named, or had their data erased. */
  @ApiProperty({ type: BriefOriginCreditDto, nullable: true })
  credit: BriefOriginCreditDto | null;
}

export class BriefDto {
  id: string;
  @ApiProperty({ enum: BRIEF_STATUSES })
  status: BriefStatus;
  broadcaster: OrganisationRef;
  title: string;
  synopsis: string | null;
  genre: string | null;
  @ApiProperty({ enum: BRIEF_FORMATS, nullable: true })
  format: BriefFormat | null;
  episodes: number | null;
  episodeMinutes: number | null;
  languages: string[];
  /** Spoken audio languages, minutes per episode (subtitles are not a language); may be empty. */
  audioLanguages: AudioLanguageDto[];
  budget: BudgetDto | null;
  rights: RightsDto | null;
  domesticOnly: boolean;
  deliverySpec: DeliverySpecDto | null;
  questionsCloseAt: string | null;
  bidsCloseAt: string | null;
  deliveryDueAt: string | null;
  criteria: CriterionDto[];
  visibility: 'open' | 'invited';
  publishedAt: string | null;
  cancelReason: string | null;
  /** Submitted bids (the count only: bids are sealed). */
  /** Submitted bids; null before bidsCloseAt for everyone but the brief's broadcaster and the operator. */
  @ApiProperty({ type: Number, nullable: true })
  bidCount: number | null;
  /** The idea the brief was converted from; null for a brief written by the broadcaster. */
  @ApiProperty({ type: BriefOriginDto, nullable: true })
  origin: BriefOriginDto | null;
  amendments: AmendmentDto[];
  createdAt: string;
  updatedAt: string;
}

export class BriefSummaryDto extends OmitType(BriefDto, ['amendments'] as const) {}

export class BriefPageDto {
  items: BriefSummaryDto[];
  nextCursor: string | null;
}
