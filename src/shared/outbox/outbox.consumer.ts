import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES, type OutboxBatchJobData } from '../queue/queue.constants';
import { QueueService } from '../queue/queue.service';
import { OutboxHandlers } from './outbox-handlers';
import { stampEventsHandled } from './outbox.repository';

/**
 * Runs the handlers of outbox events. A job carries the events of one relay tick (up to
 * OUTBOX_JOB_SIZE); they are handled in one transaction that first stamps them handled (which
 * locks their rows). If that transaction fails, each event is retried in a transaction of its
 * own, so one failing event never holds back the others; the job fails (and BullMQ retries it)
 * only for the events that failed alone. A second run (duplicate job, sweeper re-publication,
 * a worker killed after commit) finds handled_at set and changes nothing.
 */
@Injectable()
export class OutboxConsumer {
  private readonly logger = new Logger('OutboxConsumer');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly handlers: OutboxHandlers,
    private readonly queues: QueueService,
  ) {}

  start(concurrency = 10): void {
    this.handlers.assertComplete();
    this.queues.startWorker<OutboxBatchJobData>(QUEUES.outbox, (job) => this.process(job), { concurrency });
  }

  async process(job: Job<OutboxBatchJobData>): Promise<void> {
    const ids = job.data.outboxIds;
    if (ids.length === 1) return void (await this.handle(ids));
    try {
      await this.handle(ids);
    } catch (err) {
      this.logger.warn(
        `a batch of ${ids.length} events failed (${(err as Error).message}); handling them one by one`,
      );
      const failures: unknown[] = [];
      for (const id of ids) await this.handle([id]).catch((e: unknown) => failures.push(e));
      if (failures.length) throw failures[0];
    }
  }

  /** Handles the events that are not handled yet, in one transaction; returns how many it handled. */
  async handle(outboxIds: string[]): Promise<number> {
    return this.ds.transaction(async (em) => {
      // Stamping first takes the row locks (asynchronous commit: see stampEventsHandled).
      const rows = await stampEventsHandled(em, outboxIds);
      rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
      for (const row of rows) {
        for (const handler of this.handlers.for(row.type)) {
          await handler.handle({ id: row.id, type: row.type, payload: row.payload }, em);
        }
      }
      return rows.length;
    });
  }
}
