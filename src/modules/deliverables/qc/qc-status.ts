import { defineLifecycle } from '../../../shared/lifecycle';
import { QcErrors } from './qc.errors';

export const QC_STATUSES = ['pending', 'running', 'pass', 'warning', 'fail', 'error', 'not_video'] as const;
export type QcStatus = (typeof QC_STATUSES)[number];

/** Finished: measured (`not_video`: the probe found no video, and the report is not shown). */
export const QC_FINISHED: readonly QcStatus[] = ['pass', 'warning', 'fail', 'not_video'];

/**
 * A report's moves. A job claims `pending` (or its own `error`, to retry it, or `running` left by
 * a worker that died: BullMQ hands a job to another worker only once its lock expired) and
 * records a result; a rerun makes any report `pending` again under a new run number.
 */
export const qcLifecycle = defineLifecycle<QcStatus>(
  'QC report',
  QC_STATUSES,
  {
    pending: ['running', 'pending'],
    running: ['running', 'pass', 'warning', 'fail', 'error', 'not_video', 'pending'],
    error: ['running', 'pending'],
    pass: ['pending'],
    warning: ['pending'],
    fail: ['pending'],
    not_video: ['pending'],
  },
  QcErrors.QC_STATE_CONFLICT,
);
