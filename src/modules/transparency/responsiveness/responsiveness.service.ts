import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../../../shared/errors/common.errors';
import type {
  QuestionsMetricDto,
  ResponsivenessDto,
  ResponsivenessMetricDto,
} from './dto/responsiveness.dto';
import {
  ResponsivenessReadModel,
  type MetricRow,
  type ResponsivenessMetric,
} from './responsiveness.read-model';

/** Below this many measured items a median or p90 says little (`insufficientData`). */
const MIN_MEASURED = 5;

/**
 * A broadcaster's responsiveness figures (product.md, "Transparency and reports"): open to every
 * signed-in user, studios included, so they know how a channel treats them before bidding.
 */
@Injectable()
export class ResponsivenessService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly readModel: ResponsivenessReadModel,
  ) {}

  /** 404 unless `organisationId` is a broadcaster. */
  async figures(organisationId: string): Promise<ResponsivenessDto> {
    const rows = await this.readModel.figures(this.ds.manager, organisationId);
    if (!rows) throw notFound('Broadcaster not found');
    const byMetric = new Map(rows.metrics.map((m) => [m.metric, m]));
    const metric = (name: ResponsivenessMetric): ResponsivenessMetricDto => toMetric(byMetric.get(name));
    const questions: QuestionsMetricDto = {
      ...metric('questions'),
      answeredBeforeClose: byMetric.get('questions')?.answered_before_close ?? null,
    };
    return {
      organisationId,
      window: { from: rows.from.toISOString(), to: rows.to.toISOString() },
      questions,
      decisions: metric('decisions'),
      reviews: metric('reviews'),
      payments: metric('payments'),
      ideas: metric('ideas'),
    };
  }
}

/** A metric's figures; a metric without any item measured or open is all zero and null. */
function toMetric(r: MetricRow | undefined): ResponsivenessMetricDto {
  const n = r?.n ?? 0;
  return {
    n,
    medianDays: r?.median_days ?? null,
    p90Days: r?.p90_days ?? null,
    open: r?.open ?? 0,
    oldestOpenDays: r?.oldest_open_days ?? null,
    insufficientData: n < MIN_MEASURED,
  };
}
