import { DomainError } from '../../shared/errors/domain-error';
import { FinanceErrors } from './finance.errors';

export const PAYOUT_STATUSES = ['pending_approval', 'approved', 'paid'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** The allowed moves of a payout (the CHECK constraint lists the same statuses). */
export const PAYOUT_TRANSITIONS: Record<PayoutStatus, readonly PayoutStatus[]> = {
  pending_approval: ['approved'],
  approved: ['paid'],
  paid: [],
};

export function canPayoutTransition(from: PayoutStatus, to: PayoutStatus): boolean {
  return PAYOUT_TRANSITIONS[from].includes(to);
}

export function assertPayoutTransition(from: PayoutStatus, to: PayoutStatus): void {
  if (!canPayoutTransition(from, to)) {
    throw new DomainError(FinanceErrors.PAYOUT_STATE_CONFLICT, `A ${from} payout cannot become ${to}`);
  }
}
