import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker, type Job, type WorkerOptions } from 'bullmq';
import type IORedis from 'ioredis';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { DEFAULT_JOB_OPTIONS, QUEUES, type QueueName } from './queue.constants';
import { producerConnection, workerConnection } from './redis';

export interface QueueHealth {
  redis: 'up' | 'down';
  queues?: Record<string, Record<string, number>>;
}

/** Owns the Redis connections, the producer queues and the workers of this process. */
@Injectable()
export class QueueService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('QueueService');
  private readonly producer: IORedis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections: IORedis[] = [];
  private readonly workerStarters: (() => void)[] = [];

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.producer = producerConnection(config.redisUrl);
    // Without a listener ioredis would print every failed reconnect; the state is in /health/ready.
    this.producer.on('error', () => undefined);
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.producer,
        prefix: this.config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  get redisReady(): boolean {
    return this.producer.status === 'ready';
  }

  /** Modules register their workers here; the worker role (WorkerModule) starts them. */
  onWorkerStart(start: () => void): void {
    this.workerStarters.push(start);
  }

  startRegisteredWorkers(): void {
    for (const start of this.workerStarters) start();
  }

  startWorker<D>(
    name: QueueName,
    processor: (job: Job<D>) => Promise<void>,
    options: Partial<WorkerOptions> = {},
  ): Worker<D> {
    const connection = workerConnection(this.config.redisUrl);
    connection.on('error', () => undefined);
    this.workerConnections.push(connection);
    const worker = new Worker<D>(name, processor, {
      connection,
      prefix: this.config.queuePrefix,
      concurrency: 10,
      lockDuration: this.config.worker.lockDurationMs,
      stalledInterval: this.config.worker.stalledIntervalMs,
      ...options,
    });
    worker.on('error', (err) => this.logger.warn(`worker ${name}: ${err.message}`));
    worker.on('failed', (job, err) =>
      this.logger.warn(
        { jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        `job failed on ${name}`,
      ),
    );
    this.workers.push(worker as Worker);
    return worker;
  }

  async health(): Promise<QueueHealth> {
    if (!this.redisReady) return { redis: 'down' };
    try {
      const queues: Record<string, Record<string, number>> = {};
      for (const name of Object.values(QUEUES)) {
        queues[name] = await this.queue(name).getJobCounts(
          'waiting',
          'active',
          'delayed',
          'failed',
          'completed',
        );
      }
      return { redis: 'up', queues };
    } catch {
      return { redis: 'down' };
    }
  }

  /** Workers close first and let their active jobs finish, while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    for (const c of [...this.workerConnections, this.producer]) c.disconnect();
  }
}
