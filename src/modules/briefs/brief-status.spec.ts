import { describeLifecycle } from '../../shared/lifecycle.testing';
import { bidsOpenSql, briefLifecycle, deadlinePassedSql, effectiveStatusSql } from './brief-status';

describeLifecycle(
  'brief',
  briefLifecycle,
  [
    ['draft', 'published'],
    ['draft', 'cancelled'],
    ['published', 'closed'],
    ['published', 'cancelled'],
    ['closed', 'awarded'],
    ['closed', 'cancelled'],
  ],
  'BRIEF_STATE_CONFLICT',
);

describe('brief status SQL', () => {
  it('opens bids while published and before the deadline, on the database clock', () => {
    expect(bidsOpenSql('b')).toBe("(b.status = 'published' AND b.bids_close_at > now())");
    expect(bidsOpenSql()).toBe("(status = 'published' AND bids_close_at > now())");
  });

  it('reads a published brief past its deadline as closed', () => {
    expect(deadlinePassedSql('b')).toBe("(b.status = 'published' AND b.bids_close_at <= now())");
    expect(effectiveStatusSql('b')).toBe(
      "(CASE WHEN (b.status = 'published' AND b.bids_close_at <= now()) THEN 'closed' ELSE b.status END)",
    );
  });
});
