import { describeLifecycle } from '../../shared/lifecycle.testing';
import { ideaApprovedSql, ideaLifecycle, ideaPublicSql } from './idea-status';

describeLifecycle(
  'idea',
  ideaLifecycle,
  [
    ['pending', 'approved'],
    ['pending', 'rejected'],
    ['pending', 'withdrawn'],
    ['approved', 'shortlisted'],
    ['approved', 'declined'],
    ['approved', 'hidden'],
    ['approved', 'withdrawn'],
    ['shortlisted', 'converted'],
    ['shortlisted', 'declined'],
    ['hidden', 'approved'],
  ],
  'IDEA_STATE_CONFLICT',
);

describe('idea status SQL', () => {
  it('shows the public only approved, shortlisted, converted and declined ideas', () => {
    expect(ideaPublicSql('i')).toBe("i.status IN ('approved', 'shortlisted', 'converted', 'declined')");
  });

  it('draws similar ideas from approved, shortlisted and converted ones', () => {
    expect(ideaApprovedSql('i')).toBe("i.status IN ('approved', 'shortlisted', 'converted')");
  });
});
