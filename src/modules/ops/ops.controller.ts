import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
@Allow(Policy.AnyUser)
@Controller()
export class OpsController {
  constructor(private readonly metrics: MetricsService) {}

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
    const scrape = await this.metrics.scrapeWithToken(auth);
    await reply.header('Content-Type', scrape.contentType).send(scrape.body);
  }
}
