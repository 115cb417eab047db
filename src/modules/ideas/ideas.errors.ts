import { defineErrors } from '../../shared/errors/domain-error';

export const IdeaErrors = defineErrors({
  IDEA_CALL_STATE_CONFLICT: [409, 'The idea call is not in a state that allows this'],
  CLOSES_AT_PAST: [422, 'closesAt must be in the future'],
  IDEA_CALL_CLOSED: [409, 'The idea call is not open'],
  IDEA_STATE_CONFLICT: [409, 'The idea is not in a state that allows this'],
  HONEYPOT: [422, 'The form was not filled in by a person'],
  FORM_TOO_FAST: [422, 'The form was sent too soon after it was opened; wait a moment and send it again'],
  FORM_TOKEN_INVALID: [422, 'The form token is invalid, expired or already used; reload the form'],
  EMAIL_DISPOSABLE: [422, 'Disposable e-mail addresses are not accepted'],
  CONSENT_REQUIRED: [422, 'Consent to the processing of the submission is required'],
  VOTING_DISABLED: [409, 'Voting is not enabled for this idea call'],
  VOTE_TOKEN_GONE: [410, 'The confirmation link was already used or has expired'],
  MANAGE_TOKEN_INVALID: [410, 'The link was already used, has expired or the submission was erased'],
  IDEA_CONVERTED: [
    409,
    'The idea was already converted into a brief',
    { constraints: ['ideas_converted_brief_key', 'briefs_origin_idea_key'] },
  ],
});
