import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { IsSingleLineText } from '../../../shared/http/text';
import { trim } from '../../../shared/http/transforms';

/** The token of the withdraw/erase link in the submitter's receipt e-mail. */
export class ManageTokenDto {
  @ApiProperty({ example: 'q3Jx0cN9mZ4y8V2bT6wLpK1aR5sE7uH3dF0gJ2kM4nQ' })
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @Matches(/^[A-Za-z0-9_-]{16,128}$/, { message: 'token must be the token of the e-mailed link' })
  token: string;
}

export class WithdrawnIdeaDto {
  @ApiProperty({ format: 'uuid' })
  ideaId: string;
  @ApiProperty({ enum: ['withdrawn'] })
  status: 'withdrawn';
}

/** The submitter's personal data is gone; the idea's text and receipt stay verifiable. */
export class ErasedIdeaDto {
  @ApiProperty({ format: 'uuid' })
  ideaId: string;
  /** Always true. */
  @ApiProperty({ type: Boolean })
  erased: true;
}

export class ConvertedIdeaDto {
  /** The draft brief the idea became. */
  @ApiProperty({ format: 'uuid' })
  briefId: string;
}
