import { describeLifecycle } from '../../../shared/lifecycle.testing';
import { qcLifecycle } from './qc-status';

describeLifecycle(
  'QC report',
  qcLifecycle,
  [
    ['pending', 'running'],
    ['pending', 'pending'],
    ['running', 'running'],
    ['running', 'pass'],
    ['running', 'warning'],
    ['running', 'fail'],
    ['running', 'error'],
    ['running', 'not_video'],
    ['running', 'pending'],
    ['error', 'running'],
    ['error', 'pending'],
    ['pass', 'pending'],
    ['warning', 'pending'],
    ['fail', 'pending'],
    ['not_video', 'pending'],
  ],
  'QC_STATE_CONFLICT',
);
