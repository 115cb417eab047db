import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../../shared/database/prepared';
import { cursorTsSql, type Keyset } from '../../shared/http/pagination';
import type { NotificationData, NotificationType, Recipients } from '../../shared/outbox/events';
import { insertEventsSql } from '../../shared/outbox/outbox-sql';
import type { NotificationDto } from './dto/notification.dto';
import { recipientRowsSql, recipientUsersSql } from './recipients.read-model';
import type { RenderedMessage } from './templates';

export interface NotificationRow {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
  cursor_ts: string;
}

const COLUMNS = `id, type, title, data, created_at, read_at, ${cursorTsSql('created_at')} AS cursor_ts`;

export const toNotificationDto = (r: NotificationRow): NotificationDto => ({
  id: r.id,
  type: r.type,
  title: r.title,
  data: r.data,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

/** A notification event to fan out: its messages rendered in MESSAGE_LANGUAGES order. */
export interface FanOut {
  eventId: string;
  type: NotificationType;
  data: NotificationData;
  recipients: Recipients;
  messages: RenderedMessage[];
}

const PAGE_SIZE = 1000;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

// Per-language text picked in SQL, so one statement serves any number of recipients.
const byLanguage = (params: unknown[], texts: string[]): string => {
  params.push(...texts);
  const n = params.length - texts.length + 1;
  return `CASE r.language WHEN 'ru' THEN $${n + 1}::text WHEN 'kk' THEN $${n + 2}::text ELSE $${n}::text END`;
};

/** In-app notifications (the `notifications` table), and the fan-out that writes them with their e-mails. */
@Injectable()
export class NotificationsRepository {
  /** A user's notifications, newest first, after the keyset `after`; `limit` rows at most. */
  list(
    em: EntityManager,
    userId: string,
    unread: boolean | null,
    after: Keyset | null,
    limit: number,
  ): Promise<NotificationRow[]> {
    return em.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM notifications
        WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [userId, unread, after?.ts ?? null, after?.id ?? null, limit],
    );
  }

  /** The notification if it is the user's; `lock` takes it FOR UPDATE. */
  async findOwn(
    em: EntityManager,
    id: string,
    userId: string,
    lock: boolean,
  ): Promise<{ id: string } | undefined> {
    const [row] = await em.query<{ id: string }[]>(
      `SELECT id FROM notifications WHERE id = $1 AND user_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, userId],
    );
    return row;
  }

  /** Marks the user's notification read, keeping the first read time. */
  async markRead(em: EntityManager, id: string, userId: string): Promise<NotificationRow | undefined> {
    const [rows] = await em.query<[NotificationRow[], number]>(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return rows[0];
  }

  /**
   * Writes an event's in-app rows and e-mails, paging through its recipients (ordered by user id)
   * 1,000 at a time, each page in one set-based statement: in-app rows, e-mails and their
   * `mail.send` events. Ten thousand studios are ten statements, about 0.3 s (bench/fanout.ts).
   * All pages run in the caller's transaction; rows are idempotent by (event, user) anyway. The
   * statement is a named prepared one: its text is the same for every event with the same
   * recipient branches, so each connection plans it once.
   */
  async fanOut(em: EntityManager, e: FanOut): Promise<void> {
    const { recipients } = e;
    const pick = (f: keyof RenderedMessage): string[] => e.messages.map((m) => m[f]);
    const params: unknown[] = [e.eventId, e.type, JSON.stringify(e.data)];
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
       recipient AS (${recipientRowsSql('page')}),
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
}
