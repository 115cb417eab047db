import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { NOTIFICATION_TYPES, type NotificationType, type OutboxRow } from '../../../shared/outbox/events';
import { NotificationHandlers } from '../notification-handlers';

/** Every notification event: in-app rows and e-mails for its recipients. */
@Injectable()
@OnOutboxEvent({ types: NOTIFICATION_TYPES, insertOnly: true })
export class NotificationHandler implements OutboxEventHandler<NotificationType> {
  constructor(private readonly notifications: NotificationHandlers) {}

  handle(event: OutboxRow<NotificationType>, em: EntityManager): Promise<void> {
    return this.notifications.notify(event, em);
  }
}
