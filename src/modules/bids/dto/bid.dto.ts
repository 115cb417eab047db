import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '../../../shared/money';
import { BID_STATUSES, type BidStatus } from '../bid-status';
import { trim } from '../../../shared/http/transforms';
import { IsFreeText, IsSingleLineText } from '../../../shared/http/text';

export class BreakdownLineDto {
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ValidateNested()
  @Type(() => MoneyDto)
  amount: MoneyDto;
}

export class ProposedMilestoneDto {
  @Transform(trim)
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  /** Whole percent of the price; the shares of a bid sum to 100. */
  @IsInt()
  @Min(1)
  @Max(100)
  share: number;

  @IsISO8601({ strict: true, strictSeparator: true })
  dueAt: string;
}

export class BidContentDto {
  @ValidateNested()
  @Type(() => MoneyDto)
  price: MoneyDto;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BreakdownLineDto)
  breakdown: BreakdownLineDto[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ProposedMilestoneDto)
  milestones: ProposedMilestoneDto[];

  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(20000)
  creativeApproach: string;

  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MinLength(1)
  @MaxLength(10000)
  team: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MaxLength(10000)
  productionSchedule?: string;
}

export class CreateBidDto extends BidContentDto {
  /** Submit at once (default: keep as draft). */
  @IsOptional()
  @IsBoolean()
  submit?: boolean;
}

export class UpdateBidDto extends PartialType(BidContentDto) {}

export class DecisionDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsFreeText()
  @MaxLength(4000)
  note?: string;
}

export class ScoreDto {
  @IsString()
  @IsSingleLineText()
  @MinLength(1)
  @MaxLength(80)
  criterion: string;

  @IsInt()
  @Min(0)
  @Max(10)
  score: number;
}

export class ScoresDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ScoreDto)
  scores: ScoreDto[];
}

export class ReceiptDto {
  /** hex SHA-256 of nonce + "." + canonical JSON of the bid content (keys sorted, no whitespace). */
  commitment: string;
  /** 32 random bytes, hex: keeps others from testing guessed prices against the commitment. */
  nonce: string;
  /** Database time of the submission. */
  submittedAt: string;
}

export class BidDto extends OmitType(BidContentDto, ['price']) {
  id: string;
  briefId: string;
  studio: { id: string; name: string };
  @ApiProperty({ enum: BID_STATUSES })
  status: BidStatus;
  version: number;
  price: MoneyDto;
  /** Above the brief's budget maximum: allowed, but flagged. */
  overBudget: boolean;
  receipt: ReceiptDto | null;
  @ApiPropertyOptional({ nullable: true })
  decisionNote: string | null;
  createdAt: string;
  updatedAt: string;
}

export class EvaluatorScoresDto {
  bidId: string;
  evaluatorId: string;
  scores: ScoreDto[];
}

export class RankingScoreDto {
  evaluatorId: string;
  criterion: string;
  score: number;
}

export class RankingItemDto {
  bidId: string;
  studio: { id: string; name: string };
  @ApiProperty({ enum: BID_STATUSES })
  status: BidStatus;
  price: MoneyDto;
  /** Mean over evaluators of each evaluator's weighted score (0–10); null while unscored. */
  weightedScore: number | null;
  /** How many evaluators scored this bid. */
  evaluators: number;
  scores: RankingScoreDto[];
  /** Criteria on which evaluators differ by more than 4 points. */
  disagreements: string[];
}

export class BidOpeningDto {
  openedAt: string;
  commitments: { bidId: string; commitment: string }[];
}

export class BidPageDto {
  items: BidDto[];
  nextCursor: string | null;
}

export class RankingPageDto {
  items: RankingItemDto[];
  nextCursor: string | null;
}
