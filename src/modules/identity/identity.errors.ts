import { defineErrors } from '../../shared/errors/domain-error';

export const IdentityErrors = defineErrors({
  INVALID_CREDENTIALS: [401, 'Invalid e-mail or password'],
  INVALID_REFRESH_TOKEN: [401, 'The refresh token is invalid or expired'],
  EMAIL_TAKEN: [409, 'A user with this e-mail address already exists', { constraints: ['users_email_key'] }],
});
