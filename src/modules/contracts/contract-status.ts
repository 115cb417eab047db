import { defineLifecycle } from '../../shared/lifecycle';
import { ContractErrors } from './contracts.errors';

export const CONTRACT_STATUSES = ['draft', 'active', 'completed', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** The allowed moves of a contract (the CHECK constraint lists the same statuses). */
export const contractLifecycle = defineLifecycle<ContractStatus>(
  'contract',
  CONTRACT_STATUSES,
  {
    draft: ['active', 'terminated'],
    active: ['completed', 'terminated'],
    completed: [],
    terminated: [],
  },
  ContractErrors.CONTRACT_STATE_CONFLICT,
);
