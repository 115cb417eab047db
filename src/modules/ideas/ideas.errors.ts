import { defineErrors } from '../../shared/errors/domain-error';

export const IdeaErrors = defineErrors({
  IDEA_CALL_STATE_CONFLICT: [409, 'The idea call is not in a state that allows this'],
  CLOSES_AT_PAST: [422, 'closesAt must be in the future'],
});
