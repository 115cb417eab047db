import { Injectable } from '@nestjs/common';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { DeliverableVerification } from '../verification/deliverable-verification';

/**
 * A completed upload: queue its checksum verification. Hashing never runs here, inside the
 * consumer's transaction; the job's id is the deliverable's, so handling the event twice adds
 * one job.
 */
@Injectable()
@OnOutboxEvent({ types: ['deliverable.uploaded'] })
export class DeliverableUploadedHandler implements OutboxEventHandler<'deliverable.uploaded'> {
  constructor(private readonly verification: DeliverableVerification) {}

  handle(event: OutboxRow<'deliverable.uploaded'>): Promise<void> {
    return this.verification.enqueue(event.payload.deliverableId);
  }
}
