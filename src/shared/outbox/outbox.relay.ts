import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import {
  QUEUES,
  webhookAttempts,
  type OutboxBatchJobData,
  type OutboxJobData,
  type QueueName,
} from '../queue/queue.constants';
import type { JobsOptions } from 'bullmq';
import { ROUTED_EVENTS, type EventType } from './events';
import { QueueService } from '../queue/queue.service';
import { OutboxHandlers } from './outbox-handlers';
import {
  claimDueEvents,
  markEventsPublished,
  unpublishUnhandledEvents,
  type RelayRow,
} from './outbox.repository';

function groupBy<T>(items: T[], key: (t: T) => QueueName): Map<QueueName, T[]> {
  const out = new Map<QueueName, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/**
 * Splits a relay tick's rows (in order) into the events of each outbox-queue job: consecutive
 * batchable events share a job, up to `size`; any other event has a job of its own.
 */
export function jobParts<T extends { type: string }>(
  rows: T[],
  size: number,
  batchable: (type: string) => boolean,
): T[][] {
  const parts: T[][] = [];
  for (const r of rows) {
    const open = parts[parts.length - 1];
    if (open && open.length < size && batchable(open[0]!.type) && batchable(r.type)) open.push(r);
    else parts.push([r]);
  }
  return parts;
}

/** After this many publications an event is left alone (it is in the failed set, our dead letters). */
const MAX_PUBLICATIONS = 10;

/**
 * Polling publisher: moves committed outbox rows to BullMQ. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several relays can run. If Redis refuses, the transaction rolls
 * back and the rows wait for the next tick. The sweeper re-publishes events that were handed
 * to Redis but never handled (Redis without persistence can lose them).
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private lastSweep = 0;
  private redisWasDown = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly queues: QueueService,
    private readonly handlers: OutboxHandlers,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for a batch in flight, so shutdown never cuts one in half. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.tick().finally(() => (this.inFlight = null));
    }, ms);
  }

  private async tick(): Promise<void> {
    let published = 0;
    try {
      if (Date.now() - this.lastSweep > 10_000) {
        this.lastSweep = Date.now();
        await this.sweep();
      }
      published = await this.publishBatch();
      if (this.redisWasDown) this.logger.log('Redis is back; outbox relay resumed');
      this.redisWasDown = false;
    } catch (err) {
      if (!this.redisWasDown) this.logger.warn(`outbox relay paused: ${(err as Error).message}`);
      this.redisWasDown = true;
    }
    // A full batch means more are waiting: go again at once.
    this.schedule(published >= this.config.outbox.batchSize ? 0 : this.config.outbox.pollMs);
  }

  /** Publishes one batch; returns how many rows were published. */
  async publishBatch(): Promise<number> {
    if (!this.queues.redisReady) throw new Error('Redis is not connected');
    return this.ds.transaction(async (em) => {
      // The first due rows in outbox_due_idx order, skipping those another relay holds.
      const rows = await claimDueEvents(em, this.config.outbox.batchSize);
      if (!rows.length) return 0;
      // Most events go to the outbox consumer; a few have queues of their own (ROUTED_EVENTS).
      for (const [queue, batch] of groupBy(
        rows,
        (r) => ROUTED_EVENTS[r.type as EventType] ?? QUEUES.outbox,
      )) {
        await this.queues
          .queue(queue)
          .addBulk(
            queue === QUEUES.outbox ? this.batchJobs(batch) : batch.map((r) => this.singleJob(queue, r)),
          );
      }
      await markEventsPublished(
        em,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }

  /**
   * One job per event of a routed queue. The job id is deterministic per publication: a retried
   * relay tick cannot enqueue it twice, and a re-publication by the sweeper is not swallowed by a
   * job id still kept in Redis.
   */
  private singleJob(queue: QueueName, r: RelayRow) {
    return {
      name: r.type,
      data: { outboxId: r.id } satisfies OutboxJobData,
      opts: { jobId: `outbox-${r.id}-${r.publish_count}`, ...this.jobOptions(queue) },
    };
  }

  /**
   * Outbox-queue events: runs of batchable ones (OutboxHandlers.batchable) in jobs of up to
   * OUTBOX_JOB_SIZE, any other event in a job of its own; job ids deterministic as above.
   */
  private batchJobs(rows: RelayRow[]) {
    return jobParts(rows, this.config.outbox.jobSize, (type) => this.handlers.batchable(type)).map((part) => {
      const first = part[0]!;
      const last = part[part.length - 1]!;
      return {
        name: part.length === 1 ? first.type : 'batch',
        data: { outboxIds: part.map((r) => r.id) } satisfies OutboxBatchJobData,
        opts: {
          jobId:
            part.length === 1
              ? `outbox-${first.id}-${first.publish_count}`
              : `outbox-${first.id}-${last.id}-${part.length}-${first.publish_count}`,
        },
      };
    });
  }

  private jobOptions(queue: QueueName): JobsOptions {
    return queue === QUEUES.webhooks
      ? { attempts: webhookAttempts(this.config.webhookRetryBaseSeconds), backoff: { type: 'custom' } }
      : {};
  }

  /** Returns to the relay events that Redis took but no handler recorded. */
  async sweep(): Promise<number> {
    const count = await unpublishUnhandledEvents(
      this.ds.manager,
      this.config.outbox.sweepAfterSeconds,
      MAX_PUBLICATIONS,
    );
    if (count) this.logger.warn(`sweeper re-published ${count} unhandled outbox events`);
    return count;
  }
}
