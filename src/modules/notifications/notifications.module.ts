import { Module } from '@nestjs/common';
import { MailerService } from './mailer.service';
import { NotificationHandlers } from './notification-handlers';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/** Consumes outbox events only; imports no feature module. */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationHandlers, MailerService],
})
export class NotificationsModule {}
