import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type NotificationType, type OutboxRow } from '../../shared/outbox/events';
import { insertEventsSql } from '../../shared/outbox/outbox-sql';
import { preparedQuery } from '../../shared/database/prepared';
import { MailerService } from './mailer.service';
import { recipientUsersSql } from './recipients';
import { MESSAGE_LANGUAGES, render, type RenderedMessage } from './templates';

const PAGE_SIZE = 1000;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

// Per-language text picked in SQL, so one statement serves any number of recipients.
const byLanguage = (params: unknown[], texts: string[]): string => {
  params.push(...texts);
  const n = params.length - texts.length + 1;
  return `CASE r.language WHEN 'ru' THEN $${n + 1}::text WHEN 'kk' THEN $${n + 2}::text ELSE $${n}::text END`;
};

/**
 * Turns notification events into in-app rows and e-mails. Fan-out is set-based: one INSERT …
 * SELECT per page of 1,000 recipients (performance-notes.md §4.2). Each e-mail is
 * its own outbox event (`mail.send`), so a failing mail server retries only the mail.
 */
@Injectable()
export class NotificationHandlers {
  constructor(private readonly mailer: MailerService) {}

  /**
   * One job per event pages through its recipients (ordered by user id) and writes each page of
   * 1,000 in one set-based statement: in-app rows, e-mails and their `mail.send` events. All
   * pages share the job's transaction, so a killed worker leaves nothing half done and the retry
   * starts over; rows are idempotent by (event, user) anyway. Ten thousand studios are ten
   * statements, about 0.3 s (performance-notes.md §4.2, bench/fanout.ts).
   */
  async notify(event: OutboxRow<NotificationType>, em: EntityManager): Promise<void> {
    const { recipients, data } = event.payload;
    const messages = MESSAGE_LANGUAGES.map((lang) => render(event.type, data, lang));
    const pick = (f: keyof RenderedMessage): string[] => messages.map((m) => m[f]);
    const params: unknown[] = [event.id, event.type, JSON.stringify(data)];
    const audience = recipientUsersSql(recipients, params);
    if (!audience) return;
    const [title, subject, text, html] = [
      byLanguage(params, pick('title')),
      byLanguage(params, pick('title')),
      byLanguage(params, pick('text')),
      byLanguage(params, pick('html')),
    ];
    // A notice about the recipient's own account is e-mailed whatever their e-mail settings.
    let holder = '';
    if (recipients.accountHolder) {
      params.push(recipients.accountHolder);
      holder = `r.id = $${params.length}::uuid OR `;
    }
    params.push(NIL_UUID);
    const after = `$${params.length}::uuid`;
    // One statement a page: the page of recipients, their in-app rows, their e-mails and the
    // e-mails' outbox events; it answers the page's size and last id.
    const sql = `WITH page AS (
         SELECT r.id FROM (${audience}) r WHERE r.id > ${after} ORDER BY r.id LIMIT ${PAGE_SIZE}),
       recipient AS (SELECT u.* FROM users u JOIN page ON page.id = u.id),
       inapp AS (
         INSERT INTO notifications (event_id, user_id, type, title, data)
         SELECT $1, r.id, $2, ${title}, $3::jsonb FROM recipient r
         ON CONFLICT (event_id, user_id) DO NOTHING),
       mail AS (
         INSERT INTO outgoing_mail (event_id, user_id, to_address, subject, text_body, html_body)
         SELECT $1, r.id, r.email, ${subject}, ${text}, ${html}
           FROM recipient r
          WHERE ${holder}(r.email_notifications AND NOT ($2::text = ANY(r.email_muted_types)))
         ON CONFLICT (event_id, user_id) DO NOTHING
         RETURNING id),
       queued AS (${insertEventsSql('mail.send', `jsonb_build_object('mailId', mail.id::text)`, 'mail')})
       SELECT (SELECT count(*)::int FROM page) AS size, (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS last`;
    for (;;) {
      const [page] = await preparedQuery<{ size: number; last: string | null }>(em, sql, params);
      if (!page || page.size < PAGE_SIZE || !page.last) return;
      params[params.length - 1] = page.last;
    }
  }

  /** Sends one e-mail unless it was sent already; the outbox row lock keeps two workers apart. */
  async sendMail(mailId: string, em: EntityManager): Promise<void> {
    const [mail] = await em.query<
      {
        id: string;
        to_address: string;
        subject: string;
        text_body: string;
        html_body: string;
        sent_at: Date | null;
      }[]
    >(
      'SELECT id, to_address, subject, text_body, html_body, sent_at FROM outgoing_mail WHERE id = $1 FOR UPDATE',
      [mailId],
    );
    if (!mail || mail.sent_at) return;
    await this.mailer.send({
      id: mail.id,
      to: mail.to_address,
      subject: mail.subject,
      text: mail.text_body,
      html: mail.html_body,
    });
    await em.query('UPDATE outgoing_mail SET sent_at = now() WHERE id = $1', [mail.id]);
  }
}
