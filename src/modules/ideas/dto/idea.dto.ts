import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../../shared/http/pagination';
import { IDEA_STATUSES, type IdeaStatus } from '../idea-status';

export class IdeaCreditDto {
  /** The name the submitter agreed to be credited with. */
  name: string;
}

export class IdeaAnswerDto {
  text: string;
  @ApiProperty({ format: 'date-time' })
  publishedAt: string;
}

/** An approved idea of the same call that reads alike (pg_trgm similarity ≥ 0.25). */
export class SimilarIdeaDto {
  id: string;
  title: string;
  /** The higher of the title and the logline + description similarity, 0..1. */
  similarity: number;
}

/** An idea as the public sees it: no e-mail, IP or consent, a name only when credited. */
export class PublicIdeaDto {
  id: string;
  callId: string;
  title: string;
  logline: string;
  description: string;
  @ApiProperty({ enum: IDEA_STATUSES })
  status: IdeaStatus;
  /** Confirmed votes. */
  votes: number;
  @ApiProperty({ type: IdeaCreditDto, nullable: true })
  credit: IdeaCreditDto | null;
  @ApiProperty({ type: IdeaAnswerDto, nullable: true })
  answer: IdeaAnswerDto | null;
  @ApiProperty({ format: 'date-time' })
  receivedAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  convertedBriefId: string | null;
}

/** An idea as its call's broadcaster sees it. */
export class IdeaDto extends PublicIdeaDto {
  /** Public reports received (distinct reporters). */
  reports: number;
  /** Why it was rejected or hidden, when it was. */
  @ApiProperty({ type: String, nullable: true })
  decisionReason: string | null;
}

/** The moderation list's item: the idea and the approved ideas of its call that read alike. */
export class ModerationIdeaDto extends IdeaDto {
  @ApiProperty({ type: [SimilarIdeaDto] })
  similar: SimilarIdeaDto[];
}

export class ModerationIdeaPageDto {
  @ApiProperty({ type: [ModerationIdeaDto] })
  items: ModerationIdeaDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class PublicIdeaPageDto {
  @ApiProperty({ type: [PublicIdeaDto] })
  items: PublicIdeaDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ListIdeasQuery extends PageQuery {
  @ApiProperty({ enum: IDEA_STATUSES, required: false })
  @IsOptional()
  @IsIn(IDEA_STATUSES)
  status?: IdeaStatus;
}
