import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { InvoicingService } from '../invoicing.service';

/** An accepted milestone: its invoice is issued. */
@Injectable()
@OnOutboxEvent({ types: ['milestone.accepted'] })
export class MilestoneAcceptedHandler implements OutboxEventHandler<'milestone.accepted'> {
  constructor(private readonly invoicing: InvoicingService) {}

  handle(event: OutboxRow<'milestone.accepted'>, em: EntityManager): Promise<void> {
    return this.invoicing.invoice(em, String(event.payload.data.milestoneId));
  }
}
