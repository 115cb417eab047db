import type { JobsOptions } from 'bullmq';

/** Every queue of the system. */
export const QUEUES = {
  /** Outbox events, one job per event (job name = event type). */
  outbox: 'outbox',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Payload of an outbox job: ids only, the handler reloads the row (architecture rule 13). */
export interface OutboxJobData {
  outboxId: string;
}

// Retries and retention in one place. Failed jobs stay in the failed set (our dead letters).
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 10000, age: 7 * 86400 },
};
