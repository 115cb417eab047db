import { defineErrors } from '../../shared/errors/domain-error';

export const BriefErrors = defineErrors({
  BRIEF_STATE_CONFLICT: [409, 'The brief is not in a state that allows this'],
  BRIEF_NOT_DRAFT: [409, 'Only a draft brief can be edited; published briefs change by amendment'],
  BRIEF_INCOMPLETE: [422, 'The brief is not complete enough to publish'],
  CRITERIA_WEIGHTS: [422, 'Evaluation criteria weights must be whole numbers summing to 100'],
  DEADLINE_ORDER: [422, 'questionsCloseAt must be before bidsCloseAt, and delivery after both'],
  BID_WINDOW_TOO_SHORT: [422, 'bidsCloseAt is too soon'],
  DEADLINE_MOVED_EARLIER: [422, 'An amendment can only move deadlines later'],
  AMENDMENT_NOTICE: [422, 'A late amendment must extend bidsCloseAt by the minimum notice'],
  AUDIO_MINUTES: [
    422,
    "The audio languages' minutes per episode must not exceed the brief's episodeMinutes",
    { constraints: ['briefs_audio_languages_check'] },
  ],
  BUDGET_RANGE: [422, 'The budget minimum must not exceed the maximum, in one currency'],
  NOT_INVITATION_ONLY: [422, 'Invitations apply to briefs with visibility "invited"'],
  UNKNOWN_STUDIOS: [422, 'Some ids are not studios'],
  QUESTIONS_CLOSED: [409, 'The question period of this brief is over'],
  ALREADY_ANSWERED: [409, 'This question has been answered already'],
  BIDS_CLOSED: [409, 'The bid window of this brief is closed'],
});
