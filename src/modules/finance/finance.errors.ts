import { defineErrors } from '../../shared/errors/domain-error';

export const FinanceErrors = defineErrors({
  IDEMPOTENCY_KEY_REQUIRED: [400, 'This request needs an Idempotency-Key header'],
  IDEMPOTENCY_KEY_REUSED: [422, 'This Idempotency-Key was used for a different request'],
  INVOICE_NOT_OPEN: [409, 'An invoice is paid already'],
  INVOICE_IN_PAYOUT: [
    409,
    'An invoice is already in a payout',
    { constraints: ['payout_invoices_invoice_key'] },
  ],
  MIXED_PAYOUT: [422, 'A payout is for invoices of one studio, in one currency'],
  SECOND_APPROVER_REQUIRED: [
    403,
    'A payout is approved by a finance user other than its creator',
    { constraints: ['payouts_approver_check'] },
  ],
  PAYOUT_STATE_CONFLICT: [409, 'The payout is not in a state that allows this'],
});
