import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../../shared/outbox/on-outbox-event';
import { QcService } from '../qc.service';

/** A verified file: a video deliverable gets its QC report (pending) and a job on the qc queue. */
@Injectable()
@OnOutboxEvent({ types: ['deliverable.ready'] })
export class DeliverableReadyQcHandler implements OutboxEventHandler<'deliverable.ready'> {
  constructor(private readonly qc: QcService) {}

  handle(event: OutboxRow<'deliverable.ready'>, em: EntityManager): Promise<void> {
    return this.qc.schedule(em, String(event.payload.data.deliverableId));
  }
}
