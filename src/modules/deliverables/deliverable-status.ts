import { DomainError } from '../../shared/errors/domain-error';
import { DeliverableErrors } from './deliverables.errors';

export const DELIVERABLE_STATUSES = ['uploading', 'verifying', 'ready', 'rejected'] as const;
export type DeliverableStatus = (typeof DELIVERABLE_STATUSES)[number];

/** The allowed moves of a deliverable (the CHECK constraint lists the same statuses). */
export const DELIVERABLE_TRANSITIONS: Record<DeliverableStatus, readonly DeliverableStatus[]> = {
  uploading: ['verifying'],
  verifying: ['ready', 'rejected'],
  ready: [],
  rejected: [],
};

export function canDeliverableTransition(from: DeliverableStatus, to: DeliverableStatus): boolean {
  return DELIVERABLE_TRANSITIONS[from].includes(to);
}

export function assertDeliverableTransition(from: DeliverableStatus, to: DeliverableStatus): void {
  if (!canDeliverableTransition(from, to)) {
    throw new DomainError(
      DeliverableErrors.DELIVERABLE_NOT_READY,
      `A ${from} deliverable cannot become ${to}`,
    );
  }
}
