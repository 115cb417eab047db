import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NOTIFICATION_TYPES, type NotificationType, type OutboxRow } from '../../shared/outbox/events';
import { OutboxHandlers } from '../../shared/outbox/outbox-handlers';
import { MailerService } from './mailer.service';
import { MESSAGE_LANGUAGES, render, type RenderedMessage } from './templates';

// Recipients of an event: explicit users and/or members of organisations, optionally by role.
const RECIPIENTS = `SELECT u.id FROM users u
  WHERE u.disabled_at IS NULL
    AND (u.id = ANY($1::uuid[])
         OR ((u.organisation_id = ANY($2::uuid[])
              OR ($4::text IS NOT NULL AND u.organisation_id IN (
                    SELECT o.id FROM organisations o
                     WHERE o.kind = 'studio' AND o.verified_at IS NOT NULL AND $4::text = ANY(o.genres))))
             AND (cardinality($3::text[]) = 0 OR u.role = ANY($3::text[]))))`;

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
   * 1,000 with two set-based statements: in-app rows, then e-mails (each its own `mail.send`
   * event). All pages share the job's transaction, so a killed worker leaves nothing half done
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
    for (let after = NIL_UUID; ;) {
      const page = (
        await em.query<{ id: string }[]>(
          `SELECT r.id FROM (${RECIPIENTS}) r WHERE r.id > $5 ORDER BY r.id LIMIT $6`,
          [...who, after, PAGE_SIZE],
        )
      ).map((r) => r.id);
      if (!page.length) return;
      await em.query(
        `INSERT INTO notifications (event_id, user_id, type, title, data)
         SELECT $2, r.id, $3, ${byLanguage(5)}, $4::jsonb FROM users r WHERE r.id = ANY($1::uuid[])
         ON CONFLICT (event_id, user_id) DO NOTHING`,
        [page, event.id, event.type, JSON.stringify(data), ...pick('title')],
      );
      await em.query(
        `WITH m AS (
           INSERT INTO outgoing_mail (event_id, user_id, to_address, subject, text_body, html_body)
           SELECT $2, r.id, r.email, ${byLanguage(4)}, ${byLanguage(7)}, ${byLanguage(10)}
             FROM users r
            WHERE r.id = ANY($1::uuid[]) AND r.email_notifications AND NOT ($3::text = ANY(r.email_muted_types))
           ON CONFLICT (event_id, user_id) DO NOTHING
           RETURNING id)
         INSERT INTO outbox (type, payload) SELECT 'mail.send', jsonb_build_object('mailId', m.id::text) FROM m`,
        [page, event.id, event.type, ...pick('title'), ...pick('text'), ...pick('html')],
      );
      if (page.length < PAGE_SIZE) return;
      after = page[page.length - 1]!;
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
