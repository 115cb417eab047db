import { describeLifecycle } from '../../shared/lifecycle.testing';
import { payoutLifecycle } from './payout-status';

describeLifecycle(
  'payout',
  payoutLifecycle,
  [
    ['pending_approval', 'approved'],
    ['approved', 'paid'],
  ],
  'PAYOUT_STATE_CONFLICT',
);
