import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NOTIFICATION_TYPES, type NotificationType, type OutboxRow } from '../../shared/outbox/events';
import { OutboxHandlers } from '../../shared/outbox/outbox-handlers';
import { MailerService } from './mailer.service';
import { MESSAGE_LANGUAGES, render, type RenderedMessage } from './templates';

// Recipients of an event: explicit users, members of organisations (optionally by role), and
// members of verified studios interested in a genre. One branch per kind, so each uses its index.
const RECIPIENTS = `SELECT u.id FROM users u WHERE u.id = ANY($1::uuid[]) AND u.disabled_at IS NULL
  UNION
  SELECT u.id FROM users u
   WHERE u.organisation_id = ANY($2::uuid[]) AND u.disabled_at IS NULL
     AND (cardinality($3::text[]) = 0 OR u.role = ANY($3::text[]))
  UNION
  SELECT u.id FROM organisations o JOIN users u ON u.organisation_id = o.id
   WHERE $4::text IS NOT NULL AND o.kind = 'studio' AND o.verified_at IS NOT NULL AND $4::text = ANY(o.genres)
     AND u.disabled_at IS NULL AND (cardinality($3::text[]) = 0 OR u.role = ANY($3::text[]))`;

const PAGE_SIZE = 1000;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

// Per-language text picked in SQL, so one statement serves any number of recipients.
const byLanguage = (first: number): string =>
  `CASE r.language WHEN 'ru' THEN $${first + 1} WHEN 'kk' THEN $${first + 2} ELSE $${first} END`;

/**
 * Turns notification events into in-app rows and e-mails. Fan-out is set-based: one INSERT …
 * SELECT per page of 1,000 recipients (performance-notes.md §4.2). Each e-mail is
 * its own outbox event (`mail.send`), so a failing mail server retries only the mail.
 */
@Injectable()
export class NotificationHandlers implements OnModuleInit {
  constructor(
    private readonly handlers: OutboxHandlers,
    private readonly mailer: MailerService,
  ) {}

  onModuleInit(): void {
    for (const type of NOTIFICATION_TYPES) this.handlers.on(type, (event, em) => this.notify(event, em));
    this.handlers.on('mail.send', (event, em) => this.sendMail(event.payload.mailId, em));
  }

  /**
   * One job per event pages through its recipients (ordered by user id) and writes each page of
   * 1,000 in one set-based statement: in-app rows, e-mails and their `mail.send` events. All pages share the job's transaction, so a killed worker leaves nothing half done
   * and the retry starts over; rows are idempotent by (event, user) anyway. Ten thousand
   * studios are ten inserts, about 0.3 s (performance-notes.md §4.2, bench/fanout.ts).
   */
  async notify(event: OutboxRow<NotificationType>, em: EntityManager): Promise<void> {
    const { recipients, data } = event.payload;
    const who = [
      recipients.userIds ?? [],
      recipients.organisationIds ?? [],
      recipients.roles ?? [],
      recipients.studiosInterestedInGenre ?? null,
    ];
    const messages = MESSAGE_LANGUAGES.map((lang) => render(event.type, data, lang));
    const pick = (f: keyof RenderedMessage): string[] => messages.map((m) => m[f]);
    // One statement a page: the page of recipients, their in-app rows, their e-mails and the
    // e-mails' outbox events; it answers the page's size and last id.
    for (let after = NIL_UUID; ;) {
      const [page] = await em.query<{ size: number; last: string | null }[]>(
        `WITH page AS (
           SELECT r.id FROM (${RECIPIENTS}) r WHERE r.id > $5 ORDER BY r.id LIMIT ${PAGE_SIZE}),
         recipient AS (SELECT u.* FROM users u JOIN page ON page.id = u.id),
         inapp AS (
           INSERT INTO notifications (event_id, user_id, type, title, data)
           SELECT $6, r.id, $7, ${byLanguage(9)}, $8::jsonb FROM recipient r
           ON CONFLICT (event_id, user_id) DO NOTHING),
         mail AS (
           INSERT INTO outgoing_mail (event_id, user_id, to_address, subject, text_body, html_body)
           SELECT $6, r.id, r.email, ${byLanguage(9)}, ${byLanguage(12)}, ${byLanguage(15)}
             FROM recipient r
            WHERE r.email_notifications AND NOT ($7::text = ANY(r.email_muted_types))
           ON CONFLICT (event_id, user_id) DO NOTHING
           RETURNING id),
         queued AS (
           INSERT INTO outbox (type, payload) SELECT 'mail.send', jsonb_build_object('mailId', mail.id::text) FROM mail)
         SELECT (SELECT count(*)::int FROM page) AS size, (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS last`,
        [
          ...who,
          after,
          event.id,
          event.type,
          JSON.stringify(data),
          ...pick('title'),
          ...pick('text'),
          ...pick('html'),
        ],
      );
      if (!page || page.size < PAGE_SIZE || !page.last) return;
      after = page.last;
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
