import { mapConstraint } from '../../shared/errors/constraints';
import { defineErrors } from '../../shared/errors/domain-error';
import { BidErrors } from '../bids/bids.errors';

export const ContractErrors = defineErrors({
  CONTRACT_STATE_CONFLICT: [409, 'The contract is not in a state that allows this'],
  TERMS_CHANGED: [409, 'The terms changed since you read them: sign the current terms hash'],
  MILESTONE_SUM: [422, 'Milestone amounts must sum exactly to the contract value, in its currency'],
  MILESTONE_STATE_CONFLICT: [409, 'The milestone is not in a state that allows this'],
  NO_READY_DELIVERABLE: [409, 'A milestone is submitted with at least one verified (ready) deliverable'],
  ALREADY_SIGNED: [409, 'Your organisation has already signed these terms'],
});

// One contract per brief and per bid: the database's word on "exactly one award".
mapConstraint('contracts_brief_key', BidErrors.ALREADY_AWARDED);
mapConstraint('contracts_bid_key', BidErrors.ALREADY_AWARDED);
mapConstraint('contract_signatures_one_live_per_party', ContractErrors.ALREADY_SIGNED);
mapConstraint('milestones_sum_to_value', ContractErrors.MILESTONE_SUM);
