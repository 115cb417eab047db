import { defineErrors } from '../../shared/errors/domain-error';

export const OrganisationErrors = defineErrors({
  ORGANISATION_EXISTS: [
    409,
    'An organisation with this BIN is already registered',
    { constraints: ['organisations_bin_key'] },
  ],
  ROLE_NOT_ALLOWED: [422, 'This role does not exist in this kind of organisation'],
  NOT_A_BROADCASTER: [422, 'Only broadcasters have this setting'],
  CANNOT_VERIFY_PLATFORM: [422, 'The platform organisation is not verified'],
});
