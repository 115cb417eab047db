import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { MailerService } from '../../shared/mail/mailer.service';
import { renderMessage, type MessageData } from '../../shared/mail/message';
import type { IdeaDecision, IdeaMailKind, OutboxRow } from '../../shared/outbox/events';
import { OutboxService } from '../../shared/outbox/outbox.service';
import {
  CREDIT_LINES,
  IDEA_MAIL_TEMPLATES,
  mailLanguage,
  type IdeaMailTemplate,
} from './idea-mail.templates';
import { IdeaMailRepository } from './repositories/idea-mail.repository';

/** A fresh link token (256 random bits) and the SHA-256 (hex) that is stored instead of it. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export const hashLinkToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * E-mails to the public about ideas. Use cases queue them with `queue` in their transaction (an
 * outbox event naming the idea or vote request: never an address or a token); `send` runs in the
 * outbox consumer: it reads the address from the ideas tables at send time (an erased submitter
 * or an expired vote request gets nothing), makes a link's token then and stores only its hash.
 * A retried send makes a new token; the e-mail sent last carries the working link.
 */
@Injectable()
export class IdeaMailService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly mailer: MailerService,
    private readonly repo: IdeaMailRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Queues an e-mail in the caller's transaction. `decision` names the decision a `decision`
   * e-mail tells of (the idea may have moved on by the time it is sent).
   */
  async queue(
    em: EntityManager,
    kind: IdeaMailKind,
    ref: { ideaId?: string; requestId?: string; decision?: IdeaDecision },
  ): Promise<void> {
    await this.outbox.emit(em, 'idea.mail', { kind, ...ref });
  }

  async send(event: OutboxRow<'idea.mail'>, em: EntityManager): Promise<void> {
    const { kind, ideaId, requestId, decision } = event.payload;
    if (kind === 'vote') {
      if (requestId) await this.sendVote(event.id, requestId, em);
      return;
    }
    const s = ideaId ? await this.repo.submitter(em, ideaId) : undefined;
    if (!s) return; // erased (or never was): nobody to write to
    const data: MessageData = {
      name: s.name,
      ideaId: s.idea_id,
      ideaTitle: s.idea_title,
      callTitle: s.call_title,
      reason: s.decision_reason,
      answer: s.answer_text,
    };
    const language = mailLanguage(s.call_languages);
    switch (kind) {
      case 'receipt': {
        const { token, hash } = newLinkToken();
        await this.repo.setManageToken(em, s.idea_id, hash);
        Object.assign(data, {
          sha256: s.sha256,
          keyId: s.key_id,
          receivedAt: s.received_at.toISOString(),
          verifyUrl: this.link('receipts/verify', { ideaId: s.idea_id, sha256: s.sha256 }),
          withdrawUrl: this.link('ideas/withdraw', { token }),
          eraseUrl: this.link('ideas/erase', { token }),
        });
        return this.deliver(event.id, s.email, 'receipt', language, data);
      }
      case 'decision':
        return decision ? this.deliver(event.id, s.email, `decision.${decision}`, language, data) : undefined;
      case 'answer':
        return this.deliver(event.id, s.email, 'answer', language, data);
      case 'converted':
        data.creditLine = CREDIT_LINES[language][s.credit ? 'credited' : 'anonymous'];
        return this.deliver(event.id, s.email, 'converted', language, data);
    }
  }

  private async sendVote(eventId: string, requestId: string, em: EntityManager): Promise<void> {
    const v = await this.repo.pendingVote(em, requestId);
    if (!v) return; // confirmed, expired or purged meanwhile
    const { token, hash } = newLinkToken();
    await this.repo.setVoteToken(em, v.id, hash);
    await this.deliver(eventId, v.email, 'vote', mailLanguage(v.call_languages), {
      ideaTitle: v.idea_title,
      callTitle: v.call_title,
      expiresAt: v.expires_at.toISOString(),
      confirmUrl: this.link('votes/confirm', { token }),
    });
  }

  private async deliver(
    eventId: string,
    to: string,
    template: IdeaMailTemplate,
    language: ReturnType<typeof mailLanguage>,
    data: MessageData,
  ): Promise<void> {
    const m = renderMessage(IDEA_MAIL_TEMPLATES[template][language], data);
    // The Message-ID follows the outbox event, so a resend after a crash is the same message.
    await this.mailer.send({ id: `idea-${eventId}`, to, subject: m.title, text: m.text, html: m.html });
  }

  /** A link to the public web site (PUBLIC_WEB_URL), which posts the token to the API. */
  private link(path: string, query: Record<string, string>): string {
    const url = new URL(
      path,
      this.config.publicWebUrl.endsWith('/') ? this.config.publicWebUrl : `${this.config.publicWebUrl}/`,
    );
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.toString();
  }
}
