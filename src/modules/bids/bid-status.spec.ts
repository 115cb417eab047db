import { describeLifecycle } from '../../shared/lifecycle.testing';
import { bidLifecycle, countingBidsSql } from './bid-status';

describeLifecycle(
  'bid',
  bidLifecycle,
  [
    ['draft', 'submitted'],
    ['draft', 'withdrawn'],
    ['submitted', 'submitted'],
    ['submitted', 'draft'],
    ['submitted', 'withdrawn'],
    ['submitted', 'shortlisted'],
    ['submitted', 'rejected'],
    ['submitted', 'awarded'],
    ['withdrawn', 'submitted'],
    ['shortlisted', 'rejected'],
    ['shortlisted', 'awarded'],
    ['shortlisted', 'shortlisted'],
    ['rejected', 'shortlisted'],
    ['rejected', 'rejected'],
  ],
  'BID_STATE_CONFLICT',
);

describe('countingBidsSql', () => {
  it('counts submitted and evaluated bids, not drafts or withdrawn ones', () => {
    expect(countingBidsSql('x')).toBe(`x.status IN ('submitted', 'shortlisted', 'rejected', 'awarded')`);
  });
});
