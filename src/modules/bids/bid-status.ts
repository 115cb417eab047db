import { defineLifecycle } from '../../shared/lifecycle';
import { BidErrors } from './bids.errors';

export const BID_STATUSES = [
  'draft',
  'submitted',
  'withdrawn',
  'shortlisted',
  'rejected',
  'awarded',
] as const;
export type BidStatus = (typeof BID_STATUSES)[number];

/**
 * The allowed moves of a bid (bids_status_check lists the same statuses). Before the deadline
 * the studio moves draft/submitted/withdrawn (an amendment sends submitted back to draft);
 * after it the broadcaster moves submitted → shortlisted | rejected → awarded.
 */
export const bidLifecycle = defineLifecycle<BidStatus>(
  'bid',
  BID_STATUSES,
  {
    draft: ['submitted', 'withdrawn'],
    submitted: ['submitted', 'draft', 'withdrawn', 'shortlisted', 'rejected', 'awarded'],
    withdrawn: ['submitted'],
    shortlisted: ['rejected', 'awarded', 'shortlisted'],
    rejected: ['shortlisted', 'rejected'],
    awarded: [],
  },
  BidErrors.BID_STATE_CONFLICT,
);

export const BID_TRANSITIONS = bidLifecycle.transitions;

export function assertBidTransition(from: BidStatus, to: BidStatus): void {
  bidLifecycle.assert(from, to);
}

/** Statuses of bids that count as bids: submitted, and what evaluation made of them. */
export const LIVE_BID_STATUSES: readonly BidStatus[] = ['submitted', 'shortlisted', 'rejected', 'awarded'];

/**
 * SQL: the bid `alias` counts (a draft or a withdrawn bid does not). The one spelling of "bids
 * that count" for every query, also other modules' (briefs' bid count, contracts' award).
 */
export const countingBidsSql = (alias: string): string =>
  `${alias}.status IN (${LIVE_BID_STATUSES.map((s) => `'${s}'`).join(', ')})`;
