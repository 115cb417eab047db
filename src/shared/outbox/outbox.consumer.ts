import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES, type OutboxBatchJobData } from '../queue/queue.constants';
import { QueueService } from '../queue/queue.service';
import type { OutboxRow } from './events';
import { OutboxHandlers } from './outbox-handlers';

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
      // Everything a handler writes derives from its event, which committed durably with the
      // change that raised it. If PostgreSQL crashes before this commit reaches the disk, the
      // events are simply unhandled again and the sweeper re-publishes them, so the commit need
      // not wait for the WAL flush (asynchronous commit: set_config(…, true) is SET LOCAL). An
      // e-mail sent just before such a crash may go out twice, as after any crash between the
      // send and the commit.
      // Stamping first takes the row locks in the same round trip; a rollback undoes the stamp.
      // A second run waits on the locks, then finds handled_at set and gets no rows.
      const [rows] = await em.query<[OutboxRow[], number]>(
        `UPDATE outbox SET handled_at = now()
          WHERE id = ANY($1::bigint[]) AND handled_at IS NULL
            AND set_config('synchronous_commit', 'off', true) = 'off'
         RETURNING id, type, payload`,
        [outboxIds],
      );
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
