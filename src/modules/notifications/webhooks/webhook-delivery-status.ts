import { defineLifecycle } from '../../../shared/lifecycle';
import { WebhookErrors } from './webhooks.errors';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * The allowed moves of a webhook delivery (the CHECK constraint lists the same statuses). A
 * pending delivery stays pending after an attempt that will be retried; a redelivery (by an org
 * admin) makes any delivery pending again, a pending one included.
 */
export const webhookDeliveryLifecycle = defineLifecycle<WebhookDeliveryStatus>(
  'webhook delivery',
  WEBHOOK_DELIVERY_STATUSES,
  {
    pending: ['pending', 'delivered', 'failed'],
    delivered: ['pending'],
    failed: ['pending'],
  },
  WebhookErrors.WEBHOOK_DELIVERY_STATE_CONFLICT,
);
