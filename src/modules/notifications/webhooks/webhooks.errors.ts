import { defineErrors } from '../../../shared/errors/domain-error';

export const WebhookErrors = defineErrors({
  WEBHOOK_TARGET_REFUSED: [
    422,
    'The webhook URL resolves to a loopback, link-local or private address, or not at all',
  ],
  WEBHOOK_URL_INVALID: [400, 'The webhook URL must be a valid http(s) URL without credentials'],
  /** A delivery's status may not make that move (the lifecycle's conflict error). */
  WEBHOOK_DELIVERY_STATE_CONFLICT: [409, 'The webhook delivery cannot make this move now'],
});
