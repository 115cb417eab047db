import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../../shared/outbox/on-outbox-event';
import { OcdsService, RELEASE_EVENTS, type ReleaseEvent } from '../ocds.service';

/**
 * The changes of a contracting process (published, amended, closed, cancelled, awarded, signed,
 * milestone met, paid, ended): an OCDS release of a public body's process, recorded in the
 * event's transaction. Beside the notification handlers of the same events; insert-only.
 */
@Injectable()
@OnOutboxEvent({ types: Object.keys(RELEASE_EVENTS) as ReleaseEvent[], insertOnly: true })
export class OcdsReleaseHandler implements OutboxEventHandler<ReleaseEvent> {
  constructor(private readonly ocds: OcdsService) {}

  handle(event: OutboxRow<ReleaseEvent>, em: EntityManager): Promise<void> {
    return this.ocds.record(em, event);
  }
}
