import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { BidOpeningService } from '../bid-opening.service';

/** A brief's deadline (or 24 h before it): records the closing and the bid opening, or reminds. */
@Injectable()
@OnOutboxEvent({ types: ['brief.deadline'] })
export class BriefDeadlineHandler implements OutboxEventHandler<'brief.deadline'> {
  constructor(private readonly opening: BidOpeningService) {}

  handle(event: OutboxRow<'brief.deadline'>, em: EntityManager): Promise<void> {
    return this.opening.onDeadline(event.payload, em);
  }
}
