import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface OutgoingMailRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  sent_at: Date | null;
}

/** Outgoing e-mails (the `outgoing_mail` table). They have no status: `sent_at` says it all. */
@Injectable()
export class MailRepository {
  /** The e-mail, locked FOR UPDATE (the sender holds it until it is stamped sent). */
  async lock(em: EntityManager, id: string): Promise<OutgoingMailRow | undefined> {
    const [mail] = await em.query<OutgoingMailRow[]>(
      'SELECT id, to_address, subject, text_body, html_body, sent_at FROM outgoing_mail WHERE id = $1 FOR UPDATE',
      [id],
    );
    return mail;
  }

  async markSent(em: EntityManager, id: string): Promise<void> {
    await em.query('UPDATE outgoing_mail SET sent_at = now() WHERE id = $1', [id]);
  }
}
