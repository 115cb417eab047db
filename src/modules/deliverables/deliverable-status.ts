import { defineLifecycle } from '../../shared/lifecycle';
import { DeliverableErrors } from './deliverables.errors';

export const DELIVERABLE_STATUSES = ['uploading', 'verifying', 'ready', 'rejected'] as const;
export type DeliverableStatus = (typeof DELIVERABLE_STATUSES)[number];

/** The allowed moves of a deliverable (the CHECK constraint lists the same statuses). */
export const deliverableLifecycle = defineLifecycle<DeliverableStatus>(
  'deliverable',
  DELIVERABLE_STATUSES,
  {
    uploading: ['verifying'],
    verifying: ['ready', 'rejected'],
    ready: [],
    rejected: [],
  },
  DeliverableErrors.DELIVERABLE_NOT_READY,
);
