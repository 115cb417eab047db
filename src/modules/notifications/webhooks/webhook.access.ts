import type { ResourceAccess } from '../../../shared/auth/access';
import { Policy } from '../../../shared/auth/policies';
import type { WebhookEndpointRef, WebhooksRepository } from './webhooks.repository';

export type WebhookAction = 'remove' | 'readDeliveries';
export type WebhookDeliveryAction = 'redeliver';

/** An endpoint is visible to its organisation (a disabled one too: its deliveries stay readable). */
export const webhookAccess = (
  repo: WebhooksRepository,
): ResourceAccess<WebhookEndpointRef, WebhookAction> => ({
  noun: 'Webhook',
  load: (em, user, id, lock) => repo.findEndpoint(em, id, user.organisationId, lock),
  actions: { remove: Policy.OrgAdmin, readDeliveries: Policy.OrgAdmin },
});

/** A delivery is visible to the organisation of its endpoint while the endpoint is live. */
export const webhookDeliveryAccess = (
  repo: WebhooksRepository,
): ResourceAccess<{ id: string }, WebhookDeliveryAction> => ({
  noun: 'Delivery',
  load: (em, user, id, lock) => repo.findDelivery(em, id, user.organisationId, lock),
  actions: { redeliver: Policy.OrgAdmin },
});
