import { describeLifecycle } from '../../shared/lifecycle.testing';
import { deliverableLifecycle } from './deliverable-status';

describeLifecycle(
  'deliverable',
  deliverableLifecycle,
  [
    ['uploading', 'verifying'],
    ['verifying', 'ready'],
    ['verifying', 'rejected'],
  ],
  'DELIVERABLE_NOT_READY',
);
