import { Controller, Get, Headers, Ip, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { Public } from '../../shared/auth/decorators';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { MetricsService } from './metrics.service';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

@ApiExcludeController()
@Controller()
export class OpsController {
  constructor(
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Prometheus text: with the metrics token, or from loopback when no token is configured. */
  @Public()
  @Get('metrics')
  async scrape(
    @Headers('authorization') auth: string | undefined,
    @Ip() ip: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = this.config.metricsToken;
    const allowed = token ? sameSecret(auth ?? '', `Bearer ${token}`) : LOOPBACK.has(ip);
    if (!allowed)
      throw new DomainError(
        token ? CommonErrors.UNAUTHENTICATED : CommonErrors.FORBIDDEN,
        'Metrics are internal',
      );
    await reply
      .header('Content-Type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
