import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../../shared/outbox/on-outbox-event';
import { OcdsService } from '../ocds.service';

/**
 * Releases were recorded by a transaction that has committed: publish them (their sequence).
 * Takes the sequencer's advisory lock, so it is not insert-only.
 */
@Injectable()
@OnOutboxEvent({ types: ['ocds.sequence'] })
export class OcdsSequenceHandler implements OutboxEventHandler<'ocds.sequence'> {
  constructor(private readonly ocds: OcdsService) {}

  handle(_event: OutboxRow<'ocds.sequence'>, em: EntityManager): Promise<void> {
    return this.ocds.sequence(em);
  }
}
