import { DomainError } from '../../shared/errors/domain-error';
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
 * The allowed moves of a bid (product.md "Bid"). Before the deadline the studio moves
 * draft/submitted/withdrawn (an amendment sends submitted back to draft); after it the
 * broadcaster moves submitted → shortlisted | rejected → awarded.
 */
export const BID_TRANSITIONS: Record<BidStatus, readonly BidStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['submitted', 'draft', 'withdrawn', 'shortlisted', 'rejected', 'awarded'],
  withdrawn: ['submitted'],
  shortlisted: ['rejected', 'awarded', 'shortlisted'],
  rejected: ['shortlisted', 'rejected'],
  awarded: [],
};

export function assertBidTransition(from: BidStatus, to: BidStatus): void {
  if (!BID_TRANSITIONS[from].includes(to)) {
    throw new DomainError(BidErrors.BID_STATE_CONFLICT, `A ${from} bid cannot become ${to}`);
  }
}

/** Statuses of bids that count as bids: submitted, and what evaluation made of them. */
export const LIVE_BID_STATUSES: readonly BidStatus[] = ['submitted', 'shortlisted', 'rejected', 'awarded'];
