import type { JobsOptions } from 'bullmq';

/** Every queue of the system. */
export const QUEUES = {
  /**
   * Outbox events handled by the outbox consumer: a job carries one event (job name = its type)
   * or a run of batchable events of one relay tick (job name `batch`).
   */
  outbox: 'outbox',
  /**
   * Webhook deliveries, routed to a queue of their own (ROUTED_EVENTS), one job per event: long
   * retry schedules, HTTP outside any database transaction.
   */
  webhooks: 'webhooks',
  /**
   * Long work on deliverables, outside any database transaction: checksum verification. A job
   * claims its row in one short transaction and records its result in another; job ids are
   * deterministic per deliverable, so a job added twice runs once.
   */
  deliverables: 'deliverables',
  /** Technical QC of video deliverables (ffmpeg), QC_CONCURRENCY at a time per worker, same rules. */
  qc: 'qc',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Payload of a routed outbox job (one event): ids only: the handler reloads the row, so a job run twice or late never acts on stale data. */
export interface OutboxJobData {
  outboxId: string;
}

/**
 * Payload of an outbox-queue job: up to OUTBOX_JOB_SIZE events published in the same relay tick.
 * A job costs a few Redis and PostgreSQL round trips whatever its size, and on this machine a
 * round trip is the unit of cost (bench/README.md, "Outbox pipeline").
 */
export interface OutboxBatchJobData {
  outboxIds: string[];
}

// Retries and retention in one place. Failed jobs stay in the failed set (our dead letters).
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 10000, age: 7 * 86400 },
};

/**
 * Webhook retries: exponential from WEBHOOK_RETRY_BASE_SECONDS (doubling, ±20 % jitter) for at
 * least 24 h; the attempts are set per job by the webhook worker's queue options.
 */
export function webhookAttempts(baseSeconds: number): number {
  // The waits between n attempts are base·2^0 … base·2^(n−2), summing to base·(2^(n−1) − 1);
  // jitter may shorten each by 20 %, so the schedule is sized for the shortest case.
  let n = 1;
  while (0.8 * baseSeconds * (2 ** (n - 1) - 1) < 86400) n++;
  return n;
}
