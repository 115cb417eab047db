import { defineLifecycle } from '../../shared/lifecycle';
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

/** The review loop (submit, accept or ask for changes, resubmit), then the money (invoiced, paid). */
export const MILESTONE_TRANSITIONS: Record<MilestoneStatus, readonly MilestoneStatus[]> = {
  pending: ['submitted'],
  submitted: ['accepted', 'changes_requested'],
  changes_requested: ['submitted'],
  accepted: ['invoiced'],
  invoiced: ['paid'],
  paid: [],
};

/** The allowed moves of a milestone (the CHECK constraint lists the same statuses). */
export const milestoneLifecycle = defineLifecycle<MilestoneStatus>(
  'milestone',
  MILESTONE_STATUSES,
  MILESTONE_TRANSITIONS,
  ContractErrors.MILESTONE_STATE_CONFLICT,
);

export function canMoveMilestone(from: MilestoneStatus, to: MilestoneStatus): boolean {
  return milestoneLifecycle.can(from, to);
}

export function assertMilestoneTransition(from: MilestoneStatus, to: MilestoneStatus): void {
  milestoneLifecycle.assert(from, to);
}
