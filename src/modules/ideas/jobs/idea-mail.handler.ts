import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { IdeaMailService } from '../idea-mail.service';

/** An e-mail to a member of the public (submitter or voter) about an idea. */
@Injectable()
@OnOutboxEvent({ types: ['idea.mail'] })
export class IdeaMailHandler implements OutboxEventHandler<'idea.mail'> {
  constructor(private readonly mail: IdeaMailService) {}

  handle(event: OutboxRow<'idea.mail'>, em: EntityManager): Promise<void> {
    return this.mail.send(event, em);
  }
}
