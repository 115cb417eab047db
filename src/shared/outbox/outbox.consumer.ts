import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES, type OutboxJobData } from '../queue/queue.constants';
import { QueueService } from '../queue/queue.service';
import type { OutboxRow } from './events';
import { OutboxHandlers } from './outbox-handlers';

/**
 * Runs the handlers of one outbox event in one transaction that first stamps it handled (which
 * locks the row). A second run (duplicate job, sweeper re-publication, a worker killed
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
      // Everything a handler writes derives from this event, which committed durably with the
      // change that raised it. If PostgreSQL crashes before this commit reaches the disk, the
      // event is simply unhandled again and the sweeper re-publishes it, so the commit need not
      // wait for the WAL flush (asynchronous commit; it halves the drain time on this disk).
      // Stamping first takes the row lock in the same round trip (and sets the commit mode: the
      // SET LOCAL of set_config); a rollback undoes the stamp. A second run waits on the lock,
      // then finds handled_at set and gets no row.
      const [rows] = await em.query<[OutboxRow[], number]>(
        `UPDATE outbox SET handled_at = now()
          WHERE id = $1 AND handled_at IS NULL AND set_config('synchronous_commit', 'off', true) = 'off'
         RETURNING id, type, payload`,
        [outboxId],
      );
      const row = rows[0];
      if (!row) return false;
      for (const handler of this.handlers.for(row.type)) {
        await handler({ id: row.id, type: row.type, payload: row.payload }, em);
      }
      return true;
    });
  }
}
