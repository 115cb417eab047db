import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../../shared/outbox/on-outbox-event';
import { NOTIFICATION_TYPES, type NotificationType, type OutboxRow } from '../../../../shared/outbox/events';

// A webhook failure is told in-app and by e-mail only, never by another webhook.
const WEBHOOK_EVENT_TYPES = NOTIFICATION_TYPES.filter((t) => t !== 'webhook.failed');
import { WebhooksService } from '../webhooks.service';

/** Every notification event but webhook.failed: one delivery per subscribed endpoint. */
@Injectable()
@OnOutboxEvent({ types: WEBHOOK_EVENT_TYPES, insertOnly: true })
export class WebhookFanOutHandler implements OutboxEventHandler<NotificationType> {
  constructor(private readonly webhooks: WebhooksService) {}

  handle(event: OutboxRow<NotificationType>, em: EntityManager): Promise<void> {
    return this.webhooks.fanOut(event, em);
  }
}
