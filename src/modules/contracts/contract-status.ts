import { DomainError } from '../../shared/errors/domain-error';
import { ContractErrors } from './contracts.errors';

export const CONTRACT_STATUSES = ['draft', 'active', 'completed', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** The allowed moves of a contract (the CHECK constraint lists the same statuses). */
export const CONTRACT_TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  draft: ['active', 'terminated'],
  active: ['completed', 'terminated'],
  completed: [],
  terminated: [],
};

export function canContractTransition(from: ContractStatus, to: ContractStatus): boolean {
  return CONTRACT_TRANSITIONS[from].includes(to);
}

export function assertContractTransition(from: ContractStatus, to: ContractStatus): void {
  if (!canContractTransition(from, to)) {
    throw new DomainError(ContractErrors.CONTRACT_STATE_CONFLICT, `A ${from} contract cannot become ${to}`);
  }
}
