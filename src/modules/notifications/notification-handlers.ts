import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type NotificationType, type OutboxRow } from '../../shared/outbox/events';
import { MailRepository } from './mail.repository';
import { MailerService } from '../../shared/mail/mailer.service';
import { NotificationsRepository } from './notifications.repository';
import { MESSAGE_LANGUAGES, render } from './templates';

/**
 * Turns notification events into in-app rows and e-mails. Fan-out is set-based: one INSERT …
 * SELECT per page of 1,000 recipients, so the cost grows with pages, not with recipients (a
 * statement per recipient was a round trip each). Each e-mail is its own outbox event
 * (`mail.send`), so a failing mail server retries only the mail.
 */
@Injectable()
export class NotificationHandlers {
  constructor(
    private readonly mailer: MailerService,
    private readonly notifications: NotificationsRepository,
    private readonly mails: MailRepository,
  ) {}

  /**
   * One job per event writes all its pages in the job's transaction, so a killed worker leaves
   * nothing half done and the retry starts over; rows are idempotent by (event, user) anyway.
   */
  notify(event: OutboxRow<NotificationType>, em: EntityManager): Promise<void> {
    const { recipients, data } = event.payload;
    return this.notifications.fanOut(em, {
      eventId: event.id,
      type: event.type,
      data,
      recipients,
      messages: MESSAGE_LANGUAGES.map((lang) => render(event.type, data, lang)),
    });
  }

  /** Sends one e-mail unless it was sent already; the outbox row lock keeps two workers apart. */
  async sendMail(mailId: string, em: EntityManager): Promise<void> {
    const mail = await this.mails.lock(em, mailId);
    if (!mail || mail.sent_at) return;
    await this.mailer.send({
      id: mail.id,
      to: mail.to_address,
      subject: mail.subject,
      text: mail.text_body,
      html: mail.html_body,
    });
    await this.mails.markSent(em, mail.id);
  }
}
