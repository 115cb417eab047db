import { describeLifecycle } from '../../../shared/lifecycle.testing';
import { webhookDeliveryLifecycle } from './webhook-delivery-status';

describeLifecycle(
  'webhook delivery',
  webhookDeliveryLifecycle,
  [
    ['pending', 'pending'],
    ['pending', 'delivered'],
    ['pending', 'failed'],
    ['delivered', 'pending'],
    ['failed', 'pending'],
  ],
  'WEBHOOK_DELIVERY_STATE_CONFLICT',
);
