import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { IsSingleLineText } from '../../../shared/http/text';
import { trim } from '../../../shared/http/transforms';

export class RequestVoteDto {
  /** Where the confirmation link goes; deleted once the vote is confirmed or the link expires. */
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class VoteRequestedDto {
  /** Always `pending`: the vote counts once the e-mailed link is opened. */
  @ApiProperty({ enum: ['pending'] })
  status: 'pending';
}

export class ConfirmVoteDto {
  /** The token of the e-mailed confirmation link. */
  @IsString()
  @IsSingleLineText()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'token must be a base64url string' })
  token: string;
}

export class VoteConfirmedDto {
  @ApiProperty({ format: 'uuid' })
  ideaId: string;
  /** The idea's confirmed votes, this one included. */
  votes: number;
}
