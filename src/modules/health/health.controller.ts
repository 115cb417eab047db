import { OUTBOX_BACKLOG_SQL } from '../../shared/outbox/outbox-sql';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Allow } from '../../shared/auth/decorators';
import { Policy } from '../../shared/auth/policies';
import { QueueService, type QueueHealth } from '../../shared/queue/queue.service';

export class ReadinessDto {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  redis: 'up' | 'down';
  queues?: Record<string, Record<string, number>>;
  /** Events due but not yet handed to the queue (scheduled ones are not counted before their time). */
  outboxBacklog?: number;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

// Hand-written rather than @nestjs/terminus: terminus fails readiness when any indicator is down,
// and here Redis being down must not fail it (writes go on through the outbox).
@ApiTags('health')
@Allow(Policy.Public)
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly queues: QueueService,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 503 only when PostgreSQL is unreachable; Redis and queue state are reported, not judged. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const [db, queue] = await Promise.all([
      withTimeout(this.ds.query<{ n: number }[]>(OUTBOX_BACKLOG_SQL), 2000).catch(() => null),
      withTimeout(this.queues.health(), 2000).catch((): QueueHealth => ({ redis: 'down' })),
    ]);
    const body: ReadinessDto = {
      status: db ? 'ok' : 'error',
      database: db ? 'up' : 'down',
      redis: queue.redis,
      queues: queue.queues,
      outboxBacklog: db?.[0]?.n,
    };
    void reply.header('Cache-Control', 'no-store');
    if (!db) void reply.status(503);
    return body;
  }
}
