import { DomainError } from '../../shared/errors/domain-error';
import { ContractErrors } from './contracts.errors';

export const MILESTONE_STATUSES = [
  'pending',
  'submitted',
  'changes_requested',
  'accepted',
  'invoiced',
  'paid',
] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** product.md "Milestone and deliverables": the review loop, then the money. */
export const MILESTONE_TRANSITIONS: Record<MilestoneStatus, readonly MilestoneStatus[]> = {
  pending: ['submitted'],
  submitted: ['accepted', 'changes_requested'],
  changes_requested: ['submitted'],
  accepted: ['invoiced'],
  invoiced: ['paid'],
  paid: [],
};

export function canMoveMilestone(from: MilestoneStatus, to: MilestoneStatus): boolean {
  return MILESTONE_TRANSITIONS[from].includes(to);
}

export function assertMilestoneTransition(from: MilestoneStatus, to: MilestoneStatus): void {
  if (!canMoveMilestone(from, to)) {
    throw new DomainError(ContractErrors.MILESTONE_STATE_CONFLICT, `A ${from} milestone cannot become ${to}`);
  }
}
