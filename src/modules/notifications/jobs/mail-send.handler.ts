import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { NotificationHandlers } from '../notification-handlers';

/** One e-mail: sent and stamped. */
@Injectable()
@OnOutboxEvent({ types: ['mail.send'] })
export class MailSendHandler implements OutboxEventHandler<'mail.send'> {
  constructor(private readonly notifications: NotificationHandlers) {}

  handle(event: OutboxRow<'mail.send'>, em: EntityManager): Promise<void> {
    return this.notifications.sendMail(event.payload.mailId, em);
  }
}
