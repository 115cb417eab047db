import { defineErrors } from '../../shared/errors/domain-error';
import { BidErrors } from '../bids/bids.errors';

export const ContractErrors = defineErrors({
  CONTRACT_STATE_CONFLICT: [409, 'The contract is not in a state that allows this'],
  TERMS_CHANGED: [409, 'The terms changed since you read them: sign the current terms hash'],
  MILESTONE_SUM: [
    422,
    'Milestone amounts must sum exactly to the contract value, in its currency',
    { constraints: ['milestones_sum_to_value'] },
  ],
  MILESTONE_STATE_CONFLICT: [409, 'The milestone is not in a state that allows this'],
  NO_READY_DELIVERABLE: [409, 'A milestone is submitted with at least one verified (ready) deliverable'],
  ALREADY_SIGNED: [
    409,
    'Your organisation has already signed these terms',
    { constraints: ['contract_signatures_one_live_per_party'] },
  ],
  // One contract per brief and per bid: the database's word on "exactly one award". The same
  // answer as BidErrors.ALREADY_AWARDED (which award.service.ts throws when it sees the award).
  ALREADY_AWARDED: [
    BidErrors.ALREADY_AWARDED.status,
    BidErrors.ALREADY_AWARDED.title,
    { constraints: ['contracts_brief_key', 'contracts_bid_key'] },
  ],
});
