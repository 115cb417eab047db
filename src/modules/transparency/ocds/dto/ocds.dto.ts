import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../../../shared/http/pagination';

export class OcdsReleasesQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Only releases dated (`date`, when the change happened) at or after this time',
    example: '2025-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date or time' })
  since?: string;

  @ApiPropertyOptional({ description: 'Opaque cursor: the `links.next` of the previous page carries it' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'cursor is not a cursor of this list' })
  declare cursor?: string;
}

export class OcdsPublisherDto {
  @ApiProperty({ example: 'Efir' })
  name: string;
  @ApiPropertyOptional({ enum: ['KZ-BIN'], description: 'When OCDS_PUBLISHER_BIN is set' })
  scheme?: string;
  @ApiPropertyOptional({ example: '123456789012' })
  uid?: string;
}

class OcdsLinksDto {
  @ApiProperty({
    format: 'uri',
    description: 'The position after this page: the next releases, or an empty page until more are published',
  })
  next: string;
}

/** The fields of both package kinds (OCDS 1.1 release and record packages). */
class OcdsPackageHeadDto {
  @ApiProperty({ format: 'uri' })
  uri: string;
  @ApiProperty({ enum: ['1.1'] })
  version: '1.1';
  @ApiProperty({
    format: 'date-time',
    description: 'When the newest release of the package was recorded (stable for the same page)',
  })
  publishedDate: string;
  @ApiProperty({ type: OcdsPublisherDto })
  publisher: OcdsPublisherDto;
  @ApiProperty({ format: 'uri' })
  license: string;
  @ApiPropertyOptional({ format: 'uri', description: 'When OCDS_POLICY_URL is set' })
  publicationPolicy?: string;
}

export class OcdsReleasePackageDto extends OcdsPackageHeadDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'OCDS 1.1 releases (release-schema.json) in publication order (a sequence given once a release is committed, so a reader following `links.next` never misses one); empty (200) past the last one',
  })
  releases: object[];
  @ApiPropertyOptional({
    type: OcdsLinksDto,
    description: 'On every page with releases; absent on an empty page',
  })
  links?: OcdsLinksDto;
}

export class OcdsRecordDto {
  @ApiProperty({ example: 'ocds-efirkz-3f0c9a7e-1b2c-4d5e-8f90-a1b2c3d4e5f6' })
  ocid: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Every published release of the process, in date order',
  })
  releases: object[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The releases merged by the OCDS merge rules (tag `compiled`)',
  })
  compiledRelease: object;
}

export class OcdsRecordPackageDto extends OcdsPackageHeadDto {
  @ApiProperty({ type: [OcdsRecordDto] })
  records: OcdsRecordDto[];
}
