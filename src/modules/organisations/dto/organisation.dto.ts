import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ROLES, type OrganisationKind, type Role } from '../../../shared/auth/roles';
import { LoginResponseDto } from '../../identity/dto/auth-responses.dto';
import { IsKzBin } from '../bin';
import { lower, trim } from '../../../shared/http/transforms';
import { IsSingleLineText } from '../../../shared/http/text';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;

export class NewOrganisationDto {
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ['broadcaster', 'studio'] })
  @IsIn(['broadcaster', 'studio'])
  kind: Exclude<OrganisationKind, 'platform'>;

  /** ISO 3166-1 alpha-2, e.g. KZ. */
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as KZ' })
  country: string;

  /** Business identification number; required and check-digit validated for KZ. */
  @ValidateIf((o: NewOrganisationDto) => o.country === 'KZ' || o.bin !== undefined)
  @IsDefined({ message: 'bin is required for organisations registered in Kazakhstan' })
  @IsString()
  @IsSingleLineText()
  @MaxLength(40)
  @IsKzBin()
  bin?: string;
}

export class NewUserDto {
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(10)
  @MaxLength(256)
  password: string;

  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(200)
  fullName: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: (typeof LANGUAGES)[number];
}

export class RegisterDto {
  @ValidateNested()
  @Type(() => NewOrganisationDto)
  @IsDefined()
  organisation: NewOrganisationDto;

  @ValidateNested()
  @Type(() => NewUserDto)
  @IsDefined()
  user: NewUserDto;
}

export class NewMemberDto extends NewUserDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(['admin', 'commissioner', 'finance', 'producer'])
  role: Role;
}

export class UpdateOrganisationDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  /** Genres of interest: studios are told about briefs in these genres. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v))
      : value,
  )
  @IsString({ each: true })
  @Matches(/^[\p{L}\p{N} _-]{1,40}$/u, {
    each: true,
    message: 'each genre must be 1-40 letters, digits or -_',
  })
  genres?: string[];

  /** VAT rate in percent (e.g. 12) added to invoices; null for none. Broadcasters only. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  vatRate?: number | null;

  /** A public body publishes its commissioning as open data. Broadcasters only. */
  @IsOptional()
  @IsBoolean()
  publicBody?: boolean;
}

export class OrganisationDto {
  id: string;
  name: string;
  @ApiProperty({ enum: ['broadcaster', 'studio', 'platform'] })
  kind: OrganisationKind;
  country: string;
  bin: string | null;
  genres: string[];
  vatRate: number | null;
  publicBody: boolean;
  verified: boolean;
  verifiedAt: string | null;
  createdAt: string;
}

export class MemberDto {
  id: string;
  email: string;
  fullName: string;
  @ApiProperty({ enum: ROLES })
  role: Role;
  createdAt: string;
}

export class MemberPageDto {
  items: MemberDto[];
  nextCursor: string | null;
}

/** The answer to a registration: the new admin signed in, and the organisation. */
export class RegisteredDto extends LoginResponseDto {
  organisation: OrganisationDto;
}
