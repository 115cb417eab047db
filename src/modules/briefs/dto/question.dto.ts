import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { OrganisationRef } from './brief.dto';
import { trim } from '../../../shared/http/transforms';
import { IsFreeText } from '../../../shared/http/text';

export class AskQuestionDto {
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(3)
  @MaxLength(4000)
  text: string;
}

export class AnswerQuestionDto {
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(8000)
  text: string;
}

export class AnswerDto {
  text: string;
  answeredAt: string;
}

export class QuestionDto {
  id: string;
  briefId: string;
  text: string;
  askedAt: string;
  /** True for the asking studio. */
  mine: boolean;
  answer: AnswerDto | null;
  /** The asking studio: shown only to the asker and the broadcaster. */
  studio?: OrganisationRef;
}

export class QuestionPageDto {
  items: QuestionDto[];
  nextCursor: string | null;
}
