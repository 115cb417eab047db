import { ReasonDto } from '../../../shared/http/reason.dto';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { trim } from '../../../shared/http/transforms';
import { IsFreeText } from '../../../shared/http/text';

/** Why an idea is rejected or hidden: kept on the idea and in the audit log, never published. */
export class IdeaDecisionReasonDto extends ReasonDto {}

/** The published answer that goes with declining an idea. */
export class DeclineIdeaDto {
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(5000)
  answer: string;
}

/** The channel's published answer to an idea (shown on the public list). */
export class AnswerIdeaDto {
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(5000)
  text: string;
}

export const IDEA_REPORT_REASONS = ['spam', 'offensive', 'does_not_belong', 'rights_infringement'] as const;
export type IdeaReportReason = (typeof IDEA_REPORT_REASONS)[number];

/** A public report. The address only makes one report per person: it is stored as an HMAC. */
export class ReportIdeaDto {
  /** The reporter's address: never stored, only its keyed hash (one report per person). */
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: IDEA_REPORT_REASONS })
  @IsIn(IDEA_REPORT_REASONS)
  reason: IdeaReportReason;
}

export class IdeaReportReceivedDto {
  @ApiProperty({ enum: ['received'] })
  status: 'received';
}
