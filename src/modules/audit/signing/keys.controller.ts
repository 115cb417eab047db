import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { SigningService, type PublicKeyDto } from './signing.service';

export class PublicKeyItemDto implements PublicKeyDto {
  @ApiProperty({ example: 'ed25519-3f9a0c1d2b4e5f60' })
  keyId: string;
  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: 'Ed25519';
  @ApiProperty({
    description: 'Base64 of the raw 32-byte public key',
    example: 'MCowBQYDK2VwAyEAp4b1Yc3xYw0=',
  })
  publicKey: string;
  @ApiProperty({ enum: ['idea-receipt', 'audit-tree-head'] })
  use: 'idea-receipt' | 'audit-tree-head';
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  retiredAt: string | null;
}

export class PublicKeysDto {
  @ApiProperty({ type: [PublicKeyItemDto] })
  items: PublicKeyItemDto[];
}

@ApiTags('keys')
@Controller()
export class KeysController {
  constructor(private readonly signing: SigningService) {}

  /** Every key Efir has signed receipts and tree heads with; retired keys stay listed. */
  @Get('public/keys')
  @Allow(Policy.Public)
  async list(): Promise<PublicKeysDto> {
    return { items: await this.signing.list() };
  }
}
