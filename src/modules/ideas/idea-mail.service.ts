import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IdeaMailKind, OutboxRow } from '../../shared/outbox/events';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { MailerService } from '../../shared/mail/mailer.service';

/**
 * E-mails to the public about ideas. Use cases queue them with `queue` in their transaction (an
 * outbox event naming the idea or vote request, never an address or a token); `send` runs in the
 * outbox consumer: it reads the address from the ideas tables at send time (an erased submitter
 * gets nothing), makes any link token then and stores only its hash.
 */
@Injectable()
export class IdeaMailService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly mailer: MailerService,
  ) {}

  async queue(
    em: EntityManager,
    kind: IdeaMailKind,
    ref: { ideaId?: string; requestId?: string },
  ): Promise<void> {
    await this.outbox.emit(em, 'idea.mail', { kind, ...ref });
  }

  send(event: OutboxRow<'idea.mail'>, _em: EntityManager): Promise<void> {
    // Filled in by the submission work (issue 14): receipt, decision, answer, converted, vote.
    void this.mailer;
    return Promise.reject(new Error(`idea.mail ${event.payload.kind} is not implemented yet`));
  }
}
