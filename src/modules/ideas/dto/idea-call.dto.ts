import { ReasonDto } from '../../../shared/http/reason.dto';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../../../shared/http/pagination';
import { trim } from '../../../shared/http/transforms';
import { IsFreeText, IsSingleLineText } from '../../../shared/http/text';
import { IDEA_CALL_STATUSES, type IdeaCallStatus } from '../idea-call-status';

export const IDEA_CALL_LANGUAGES = ['kk', 'ru', 'en'] as const;
export type IdeaCallLanguage = (typeof IDEA_CALL_LANGUAGES)[number];

export class IdeaCallFieldsDto {
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(3)
  @MaxLength(150)
  title: string;

  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(5000)
  description: string;

  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @IsSingleLineText({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(40, { each: true })
  genres: string[];

  @ApiProperty({ enum: IDEA_CALL_LANGUAGES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(IDEA_CALL_LANGUAGES, { each: true })
  languages: IdeaCallLanguage[];

  /** ISO 8601 with a time zone; the call closes at this instant (database clock). */
  @IsISO8601({ strict: true, strictSeparator: true })
  closesAt: string;

  @IsBoolean()
  votingEnabled: boolean;
}

export class CreateIdeaCallDto extends IdeaCallFieldsDto {}

export class UpdateIdeaCallDto extends PartialType(IdeaCallFieldsDto) {}

export class CancelIdeaCallDto extends ReasonDto {}

export class IdeaCallBroadcasterDto {
  id: string;
  name: string;
}

export class IdeaCallDto {
  id: string;
  broadcaster: IdeaCallBroadcasterDto;
  title: string;
  description: string;
  genres: string[];
  @ApiProperty({ enum: IDEA_CALL_LANGUAGES, isArray: true })
  languages: string[];
  closesAt: string;
  votingEnabled: boolean;
  /** As of the database clock: an open call is `closed` from closesAt on. */
  @ApiProperty({ enum: IDEA_CALL_STATUSES })
  status: IdeaCallStatus;
  cancelReason: string | null;
  openedAt: string | null;
  createdAt: string;
}

export class IdeaCallPageDto {
  items: IdeaCallDto[];
  nextCursor: string | null;
}

export class ListIdeaCallsQuery extends PageQuery {}
