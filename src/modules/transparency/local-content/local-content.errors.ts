import { defineErrors } from '../../../shared/errors/domain-error';

export const LocalContentErrors = defineErrors({
  MIXED_CURRENCIES: [
    422,
    'The contracts of this year are in several currencies: the report adds spend in one currency only',
  ],
});
