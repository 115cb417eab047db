import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { MetricsService } from './metrics.service';

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

@ApiExcludeController()
@Allow(Policy.AnyUser)
@Controller()
export class OpsController {
  constructor(
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Prometheus text, with the metrics token only. No address is trusted: behind a proxy on the
   * same host every caller is loopback. Without a token, metrics are on METRICS_PORT alone.
   */
  @Allow(Policy.Public)
  @Get('metrics')
  async scrape(
    @Headers('authorization') auth: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = this.config.metricsToken;
    if (!token) throw new DomainError(CommonErrors.FORBIDDEN, 'Metrics are served on the internal port');
    if (!sameSecret(auth ?? '', `Bearer ${token}`))
      throw new DomainError(CommonErrors.UNAUTHENTICATED, 'The metrics token is required');
    await reply
      .header('Content-Type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
