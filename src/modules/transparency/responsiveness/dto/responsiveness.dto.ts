import { ApiProperty } from '@nestjs/swagger';

/**
 * How long a broadcaster made studios or viewers wait for one kind of answer, in days, over the
 * window: items whose wait ended within it are measured; items whose wait began within it and
 * has not ended are open.
 */
export class ResponsivenessMetricDto {
  /** Items measured (their wait ended within the window). */
  n: number;
  /** Median wait in days (2 decimals); null when n is 0. */
  medianDays: number | null;
  /** 90th percentile of the wait in days (2 decimals, interpolated); null when n is 0. */
  p90Days: number | null;
  /** Items still waiting. */
  open: number;
  /** Age in days (2 decimals) of the oldest item still waiting; null when none is. */
  oldestOpenDays: number | null;
  /** Fewer than 5 measured items: the median and p90 say little. */
  insufficientData: boolean;
}

export class QuestionsMetricDto extends ResponsivenessMetricDto {
  /** Share (0..1, 4 decimals) of the measured answers given before the brief's questionsCloseAt; null when n is 0. */
  answeredBeforeClose: number | null;
}

export class ResponsivenessWindowDto {
  /** Twelve months before `to` (database clock). */
  from: string;
  /** The database clock when the figures were computed. */
  to: string;
}

/** A broadcaster's responsiveness over the last 12 months (api.md "Transparency"). */
export class ResponsivenessDto {
  @ApiProperty({ format: 'uuid' })
  organisationId: string;
  window: ResponsivenessWindowDto;
  /** Question answers: answeredAt − askedAt. */
  questions: QuestionsMetricDto;
  /** Award or cancellation − bidsCloseAt. */
  decisions: ResponsivenessMetricDto;
  /** Milestone review (accept or request changes) − submission. */
  reviews: ResponsivenessMetricDto;
  /** Invoice paidAt − issuedAt. */
  payments: ResponsivenessMetricDto;
  /** Idea answer (the published answer or the first decision, whichever came first) − receipt. */
  ideas: ResponsivenessMetricDto;
}
