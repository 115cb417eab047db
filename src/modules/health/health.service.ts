import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countOutboxBacklog } from '../../shared/outbox/outbox.repository';
import { QueueService, type QueueHealth } from '../../shared/queue/queue.service';
import type { ReadinessDto } from './dto/readiness.dto';

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

const DOWN = Symbol('down');

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly queues: QueueService,
  ) {}

  /** PostgreSQL decides the status; Redis and queue state are reported, not judged. */
  async readiness(): Promise<ReadinessDto> {
    // Each probe's failure (or timeout) is the answer "down", not an error of the probe.
    const [backlog, queue] = await Promise.all([
      withTimeout(countOutboxBacklog(this.ds.manager), 2000).catch((): typeof DOWN => DOWN),
      withTimeout(this.queues.health(), 2000).catch((): QueueHealth => ({ redis: 'down' })),
    ]);
    const up = backlog !== DOWN;
    return {
      status: up ? 'ok' : 'error',
      database: up ? 'up' : 'down',
      redis: queue.redis,
      queues: queue.queues,
      outboxBacklog: up ? backlog : undefined,
    };
  }
}
