import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { MoneyDto } from '../../../../shared/money';
import { AudioLanguageDto, OrganisationRef } from '../../../briefs/dto/brief.dto';

export class LocalContentQuery {
  /** The calendar year (UTC) of the contracts' signature, 2000..2100. */
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  /** Whose report: required for the operator; a broadcaster's users get their own (another is 404). */
  @IsOptional()
  @IsUUID()
  broadcasterId?: string;
}

export class LocalContentTargetDto {
  /** The Kazakh-language share the year asks (LOCAL_CONTENT_TARGETS); null: no target for the year. */
  @ApiProperty({ type: Number, nullable: true })
  share: number | null;
  @ApiProperty({ enum: ['LOCAL_CONTENT_TARGETS', 'none'] })
  source: 'LOCAL_CONTENT_TARGETS' | 'none';
}

export class MinutesAndSpendDto {
  minutes: number;
  spend: MoneyDto;
}

export class CommissionedDto {
  /** Contracts counted. */
  contracts: number;
  /** T: Σ episodes × episodeMinutes. */
  minutes: number;
  /** Σ contract values. */
  spend: MoneyDto;
  /** Studios registered in KZ with a valid BIN. */
  domestic: MinutesAndSpendDto;
  foreign: MinutesAndSpendDto;
  /** Domestic minutes / T (4 decimals); null when T = 0. */
  @ApiProperty({ type: Number, nullable: true })
  domesticShare: number | null;
  /** K: Σ episodes × Kazakh audio minutes per episode. */
  kazakhMinutes: number;
  /** K / T (4 decimals); null when T = 0. */
  @ApiProperty({ type: Number, nullable: true })
  kazakhShare: number | null;
}

export class AcceptedDto {
  /** Counted contracts whose every milestone is accepted. */
  contracts: number;
  minutes: number;
  kazakhMinutes: number;
  /** Accepted Kazakh minutes / accepted minutes (4 decimals); null when none are accepted. */
  @ApiProperty({ type: Number, nullable: true })
  kazakhShare: number | null;
}

export class MinutesNeededDto {
  /** New Kazakh minutes to add: ⌈max(0, (p·T − K) / (1 − p))⌉; null when p = 1 and K < T (unreachable). */
  @ApiProperty({ type: Number, nullable: true })
  allNew: number | null;
  /** Commissioned minutes to turn Kazakh instead: ⌈max(0, p·T − K)⌉. */
  replacement: number;
}

export class FormulasDto {
  allNew: string;
  replacement: string;
}

export class LocalContentContractDto {
  contractId: string;
  briefId: string;
  @ApiProperty({ enum: ['active', 'completed'] })
  status: string;
  studio: OrganisationRef;
  domestic: boolean;
  /** When the second signature made the contract active. */
  signedAt: string;
  episodes: number;
  episodeMinutes: number;
  audioLanguages: AudioLanguageDto[];
  minutes: number;
  kazakhMinutes: number;
  /** Every milestone accepted. */
  accepted: boolean;
  value: MoneyDto;
}

export class LocalContentReportDto {
  broadcasterId: string;
  year: number;
  @ApiProperty({ enum: ['commissioned'] })
  basis: 'commissioned';
  target: LocalContentTargetDto;
  commissioned: CommissionedDto;
  accepted: AcceptedDto;
  /** Against the target; null when the year has none. */
  @ApiProperty({ type: MinutesNeededDto, nullable: true })
  minutesNeeded: MinutesNeededDto | null;
  formulas: FormulasDto;
  /** What the figures measure: commissioning, not broadcast airtime. */
  note: string;
  /** The contracts counted, oldest signature first. */
  contracts: LocalContentContractDto[];
}
