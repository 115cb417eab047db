import { describeLifecycle } from '../../shared/lifecycle.testing';
import {
  callDeadlinePassedSql,
  callEffectiveStatusSql,
  callOpenSql,
  ideaCallLifecycle,
} from './idea-call-status';

describeLifecycle(
  'idea call',
  ideaCallLifecycle,
  [
    ['draft', 'open'],
    ['draft', 'cancelled'],
    ['open', 'closed'],
    ['open', 'cancelled'],
  ],
  'IDEA_CALL_STATE_CONFLICT',
);

describe('idea call status SQL', () => {
  it('is open while stored open and before closes_at, on the database clock', () => {
    expect(callOpenSql('c')).toBe("(c.status = 'open' AND c.closes_at > now())");
    expect(callOpenSql()).toBe("(status = 'open' AND closes_at > now())");
  });

  it('reads an open call past closes_at as closed', () => {
    expect(callDeadlinePassedSql('c')).toBe("(c.status = 'open' AND c.closes_at <= now())");
    expect(callEffectiveStatusSql('c')).toBe(
      "(CASE WHEN (c.status = 'open' AND c.closes_at <= now()) THEN 'closed' ELSE c.status END)",
    );
  });
});
