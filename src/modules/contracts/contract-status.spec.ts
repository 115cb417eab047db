import { describeLifecycle } from '../../shared/lifecycle.testing';
import { contractLifecycle } from './contract-status';

describeLifecycle(
  'contract',
  contractLifecycle,
  [
    ['draft', 'active'],
    ['draft', 'terminated'],
    ['active', 'completed'],
    ['active', 'terminated'],
  ],
  'CONTRACT_STATE_CONFLICT',
);
