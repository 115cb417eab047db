import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES, type OutboxJobData } from '../queue/queue.constants';
import { QueueService } from '../queue/queue.service';
import type { OutboxRow } from './events';
import { OutboxHandlers } from './outbox-handlers';

/**
 * Runs the handlers of one outbox event in one transaction with the event row locked, and
 * stamps it handled there. A second run (duplicate job, sweeper re-publication, a worker killed
 * after commit) finds handled_at set and changes nothing. Errors are rethrown so BullMQ retries.
 */
@Injectable()
export class OutboxConsumer {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly handlers: OutboxHandlers,
    private readonly queues: QueueService,
  ) {}

  start(concurrency = 10): void {
    this.handlers.assertComplete();
    this.queues.startWorker<OutboxJobData>(QUEUES.outbox, (job) => this.process(job), { concurrency });
  }

  async process(job: Job<OutboxJobData>): Promise<void> {
    await this.handle(job.data.outboxId);
  }

  async handle(outboxId: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const [row] = await em.query<(OutboxRow & { handled_at: Date | null })[]>(
        'SELECT id, type, payload, handled_at FROM outbox WHERE id = $1 FOR UPDATE',
        [outboxId],
      );
      if (!row || row.handled_at) return false;
      for (const handler of this.handlers.for(row.type)) {
        await handler({ id: row.id, type: row.type, payload: row.payload }, em);
      }
      await em.query('UPDATE outbox SET handled_at = now() WHERE id = $1', [outboxId]);
      return true;
    });
  }
}
