import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { MoneyDto } from '../../../shared/money';
import { AudioLanguageDto } from '../../briefs/dto/brief.dto';
import { PageQuery } from '../../../shared/http/pagination';

export class AwardBriefDto {
  @IsUUID()
  bidId: string;
}

export class AwardResultDto {
  contractId: string;
}

export class MilestoneDto {
  id: string;
  contractId: string;
  sequence: number;
  title: string;
  amount: MoneyDto;
  dueAt: string;
  @ApiProperty({ enum: ['pending', 'submitted', 'changes_requested', 'accepted', 'invoiced', 'paid'] })
  status: string;
}

export class SignatureDto {
  @ApiProperty({ enum: ['broadcaster', 'studio'] })
  party: 'broadcaster' | 'studio';
  userId: string;
  signedAt: string;
  termsHash: string;
}

export class ContractDto {
  id: string;
  briefId: string;
  bidId: string;
  broadcaster: { id: string; name: string };
  studio: { id: string; name: string };
  @ApiProperty({ enum: ['draft', 'active', 'completed', 'terminated'] })
  status: string;
  value: MoneyDto;
  rights: unknown;
  deliverySpec: unknown;
  /**
   * Spoken audio languages, minutes per episode (subtitles are not a language): the brief's at
   * award, set by the broadcaster while the contract is a draft (PUT /contracts/{id}/audio-languages)
   * and confirmed by both signatures (part of the signed terms once not empty).
   */
  audioLanguages: AudioLanguageDto[];
  /** SHA-256 of the canonical terms (parties, value, rights, delivery spec, milestones). */
  termsHash: string;
  signatures: SignatureDto[];
  milestones: MilestoneDto[];
  createdAt: string;
}

export class ContractSummaryDto {
  id: string;
  briefId: string;
  bidId: string;
  broadcaster: { id: string; name: string };
  studio: { id: string; name: string };
  status: string;
  value: MoneyDto;
  createdAt: string;
}

export class ContractPageDto {
  items: ContractSummaryDto[];
  nextCursor: string | null;
}

export class ListContractsQuery extends PageQuery {}

export class MilestonePageDto {
  items: MilestoneDto[];
  nextCursor: string | null;
}
