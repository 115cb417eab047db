import { mapConstraint } from '../../shared/errors/constraints';
import { BidErrors } from '../bids/bids.errors';

// One contract per brief and per bid: the database's word on "exactly one award".
mapConstraint('contracts_brief_key', BidErrors.ALREADY_AWARDED);
mapConstraint('contracts_bid_key', BidErrors.ALREADY_AWARDED);
