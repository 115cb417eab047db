import { DomainError } from '../../shared/errors/domain-error';
import { describeLifecycle } from '../../shared/lifecycle.testing';
import {
  assertMilestoneTransition,
  canMoveMilestone,
  MILESTONE_STATUSES,
  MILESTONE_TRANSITIONS,
  milestoneLifecycle,
} from './milestone-status';

describe('milestone transitions', () => {
  it('allows the review loop and the money path', () => {
    expect(canMoveMilestone('pending', 'submitted')).toBe(true);
    expect(canMoveMilestone('submitted', 'changes_requested')).toBe(true);
    expect(canMoveMilestone('changes_requested', 'submitted')).toBe(true);
    expect(canMoveMilestone('submitted', 'accepted')).toBe(true);
    expect(canMoveMilestone('accepted', 'invoiced')).toBe(true);
    expect(canMoveMilestone('invoiced', 'paid')).toBe(true);
  });

  it('refuses every other move with MILESTONE_STATE_CONFLICT', () => {
    let refused = 0;
    for (const from of MILESTONE_STATUSES) {
      for (const to of MILESTONE_STATUSES) {
        if (MILESTONE_TRANSITIONS[from].includes(to)) continue;
        let code: string | undefined;
        try {
          assertMilestoneTransition(from, to);
        } catch (err) {
          if (err instanceof DomainError) code = err.def.code;
        }
        expect(code).toBe('MILESTONE_STATE_CONFLICT');
        refused++;
      }
    }
    expect(refused).toBe(36 - 6); // six allowed moves
  });

  it('ends at paid', () => {
    expect(MILESTONE_TRANSITIONS.paid).toEqual([]);
  });
});

describeLifecycle(
  'milestone',
  milestoneLifecycle,
  [
    ['pending', 'submitted'],
    ['submitted', 'accepted'],
    ['submitted', 'changes_requested'],
    ['changes_requested', 'submitted'],
    ['accepted', 'invoiced'],
    ['invoiced', 'paid'],
  ],
  'MILESTONE_STATE_CONFLICT',
);
