import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { DeliverablesService } from '../deliverables.service';

/** A completed upload: verify its checksum. */
@Injectable()
@OnOutboxEvent({ types: ['deliverable.uploaded'] })
export class DeliverableUploadedHandler implements OutboxEventHandler<'deliverable.uploaded'> {
  constructor(private readonly deliverables: DeliverablesService) {}

  handle(event: OutboxRow<'deliverable.uploaded'>, em: EntityManager): Promise<void> {
    return this.deliverables.verify(event.payload.deliverableId, em);
  }
}
