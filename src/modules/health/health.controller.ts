import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { ReadinessDto } from './dto/readiness.dto';
import { HealthService } from './health.service';

// Hand-written rather than @nestjs/terminus: terminus fails readiness when any indicator is down,
// and here Redis being down must not fail it (writes go on through the outbox).
@ApiTags('health')
@Allow(Policy.Public)
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 503 only when PostgreSQL is unreachable; Redis and queue state are reported, not judged. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const readiness = await this.health.readiness();
    if (readiness.status === 'error') void reply.status(503);
    return readiness;
  }
}
