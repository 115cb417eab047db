import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsFreeText } from './text';
import { trim } from './transforms';

/**
 * A reason given with an action (cancel, terminate, reject, hide): free text, 3 to 2,000
 * characters after trimming. Each route names its own subclass, so the OpenAPI document says
 * what the reason is for.
 */
export class ReasonDto {
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}
