import { defineErrors } from '../../shared/errors/domain-error';

export const BidErrors = defineErrors({
  BIDS_SEALED: [409, 'Bids are sealed until the deadline'],
  BID_WINDOW_CLOSED: [409, 'The bid window is closed'],
  BID_EXISTS: [
    409,
    'Your studio already has a bid for this brief',
    { constraints: ['bids_brief_studio_key'] },
  ],
  BID_STATE_CONFLICT: [409, 'The bid is not in a state that allows this'],
  BRIEF_NOT_CLOSED: [409, 'This is possible only after the bid deadline'],
  ALREADY_AWARDED: [
    409,
    'A bid has already been awarded for this brief',
    { constraints: ['bids_one_awarded_per_brief'] },
  ],
  STUDIO_NOT_VERIFIED: [403, 'Only verified studios can bid'],
  DOMESTIC_ONLY: [422, 'This brief is open only to studios registered in Kazakhstan with a valid BIN'],
  CURRENCY_MISMATCH: [422, 'All amounts must be in the brief currency'],
  BREAKDOWN_MISMATCH: [422, 'The price breakdown must sum to the price'],
  MILESTONE_SHARES: [422, 'Milestone shares must be whole percents summing to 100'],
  UNKNOWN_CRITERION: [422, 'Not a criterion of this brief'],
  BID_NOT_FOUND_FOR_BRIEF: [422, 'The bid does not belong to this brief'],
});
