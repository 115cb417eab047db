import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { IdeaVotesService } from '../idea-votes.service';

/**
 * A vote request's expiry, scheduled when it was made: deletes the address it still holds (an
 * unconfirmed request's; a confirmed one has none). One row by primary key, so the purge costs the
 * same however many requests have expired before.
 */
@Injectable()
@OnOutboxEvent({ types: ['idea.vote_expiry'] })
export class IdeaVoteExpiryHandler implements OutboxEventHandler<'idea.vote_expiry'> {
  constructor(private readonly votes: IdeaVotesService) {}

  handle(event: OutboxRow<'idea.vote_expiry'>, em: EntityManager): Promise<void> {
    return this.votes.expire(em, event.payload.requestId);
  }
}
