import { MailSendHandler } from './jobs/mail-send.handler';
import { NotificationHandler } from './jobs/notification.handler';
import { WebhookFanOutHandler } from './webhooks/jobs/webhook-fan-out.handler';
import { Module } from '@nestjs/common';
import { MailRepository } from './mail.repository';
import { MailerService } from '../../shared/mail/mailer.service';
import { NotificationHandlers } from './notification-handlers';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

/** Consumes outbox events only; imports no feature module. */
@Module({
  controllers: [NotificationsController, WebhooksController],
  providers: [
    NotificationsService,
    NotificationsRepository,
    MailRepository,
    NotificationHandlers,
    MailerService,
    WebhooksService,
    WebhooksRepository,
    NotificationHandler,
    MailSendHandler,
    WebhookFanOutHandler,
  ],
})
export class NotificationsModule {}
