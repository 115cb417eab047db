import { ReasonDto } from '../../../shared/http/reason.dto';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { trim } from '../../../shared/http/transforms';
import { MoneyDto } from '../../../shared/money';
import { Transform } from 'class-transformer';
import { IsSingleLineText } from '../../../shared/http/text';
import { AudioLanguageDto, IsAudioLanguages } from '../../briefs/dto/brief.dto';

export class MilestoneInputDto {
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ValidateNested()
  @Type(() => MoneyDto)
  amount: MoneyDto;

  @IsISO8601({ strict: true, strictSeparator: true })
  dueAt: string;
}

export class ReplaceMilestonesDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInputDto)
  milestones: MilestoneInputDto[];
}

/** A draft contract's spoken audio languages (replaced whole; `[]` declares none). */
export class ReplaceAudioLanguagesDto {
  @IsAudioLanguages()
  audioLanguages: AudioLanguageDto[];
}

export class SignContractDto {
  /** The termsHash the signer read (GET /contracts/{id}); a stale one is 409 TERMS_CHANGED. */
  @Matches(/^[0-9a-f]{64}$/, { message: 'termsHash must be 64 hex characters' })
  termsHash: string;
}

export class TerminateContractDto extends ReasonDto {}
