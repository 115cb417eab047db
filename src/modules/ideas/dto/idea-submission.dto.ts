import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { lower, trim } from '../../../shared/http/transforms';
import { IsFreeText, IsSingleLineText } from '../../../shared/http/text';
import { IDEA_STATUSES, type IdeaStatus } from '../idea-status';
import { SimilarIdeaDto } from './idea.dto';

export class FormTokenDto {
  /** Send it with the submission: single use, valid from IDEA_MIN_FORM_SECONDS after issue for 24 h. */
  formToken: string;
}

/**
 * A viewer's pitch. The text is stored and hashed exactly as sent, only stripped of surrounding
 * whitespace: no Unicode normalisation, inner spaces kept.
 */
export class SubmitIdeaDto {
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
  @MaxLength(300)
  logline: string;

  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(5000)
  description: string;

  /** The submitter's name: shown publicly only with `credit: true`. */
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  /** For the receipt and decisions; never shown. */
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MaxLength(254)
  @IsEmail()
  email: string;

  /** Must be true (422 CONSENT_REQUIRED otherwise). */
  @IsBoolean()
  consent: boolean;

  /** The version of the consent text the form showed. */
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(40)
  consentVersion: string;

  /** May the channel name the submitter with the idea. */
  @IsBoolean()
  credit: boolean;

  /** From GET /public/idea-calls/{id}/form. */
  @IsString()
  @IsSingleLineText()
  @MaxLength(512)
  formToken: string;

  /** Leave empty: a field people never see, which bots fill in (422 HONEYPOT). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MaxLength(2000)
  website?: string;
}

export class SubmittedIdeaDto {
  id: string;
  @ApiProperty({ enum: IDEA_STATUSES })
  status: IdeaStatus;
}

/**
 * Proof of what was pitched and when: `canonical` is the RFC 8785 JSON of `{ callId, title,
 * logline, description, submitterName }` exactly as hashed, `sha256` the hex SHA-256 of its UTF-8
 * bytes, `signature` the base64 Ed25519 signature (key `keyId` at GET /public/keys) of
 * `"efir-idea-receipt.v1\n" + sha256 + "\n" + receivedAt + "\n" + ideaId`.
 */
export class IdeaReceiptDto {
  ideaId: string;
  sha256: string;
  canonical: string;
  /** Database time of receipt (milliseconds), as signed. */
  @ApiProperty({ format: 'date-time' })
  receivedAt: string;
  signature: string;
  keyId: string;
}

export class IdeaSubmissionDto {
  idea: SubmittedIdeaDto;
  receipt: IdeaReceiptDto;
  /** Approved ideas of the same call that read alike (pg_trgm similarity ≥ 0.25). */
  @ApiProperty({ type: [SimilarIdeaDto] })
  similar: SimilarIdeaDto[];
}

export class VerifyReceiptDto {
  @IsUUID()
  ideaId: string;

  /** Hex SHA-256 from the receipt. */
  @Transform(lower)
  @IsString()
  @IsSingleLineText()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 hexadecimal digits' })
  sha256: string;
}

export class ReceiptVerificationDto {
  /** Whether Efir received an idea with this id and hash (whatever became of it since). */
  received: boolean;
  /** When it was received (database time), if it was. */
  @ApiProperty({ format: 'date-time', required: false })
  receivedAt?: string;
}
