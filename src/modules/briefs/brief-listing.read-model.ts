import { countingBidsSql } from '../bids/bid-status';

// A read model over `bids`, owned by the bids module: the bids module sits above briefs in the
// import order, so briefs cannot ask it. A brief's listing shows how many bids it has and
// notifies the studios bidding on it; these fragments only READ bids, never write them. Which
// bids count is the bids module's rule, taken from its status file.

/** The number of bids of brief `b` that a studio has put in (submitted or decided). */
export const bidCountSql = (b: string): string =>
  `(SELECT count(*)::int FROM bids x WHERE x.brief_id = ${b}.id AND ${countingBidsSql('x')})`;

/** The studios holding a bid (any but withdrawn) on the brief `briefParam`. */
export const biddingStudiosSql = (briefParam: string): string =>
  `SELECT studio_id FROM bids WHERE brief_id = ${briefParam} AND status <> 'withdrawn'`;
