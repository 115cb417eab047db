import { defineLifecycle } from '../../shared/lifecycle';
import { FinanceErrors } from './finance.errors';

export const PAYOUT_STATUSES = ['pending_approval', 'approved', 'paid'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** The allowed moves of a payout (the CHECK constraint lists the same statuses). */
export const payoutLifecycle = defineLifecycle<PayoutStatus>(
  'payout',
  PAYOUT_STATUSES,
  {
    pending_approval: ['approved'],
    approved: ['paid'],
    paid: [],
  },
  FinanceErrors.PAYOUT_STATE_CONFLICT,
);
