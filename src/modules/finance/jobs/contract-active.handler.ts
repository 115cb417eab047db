import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { InvoicingService } from '../invoicing.service';

/** A signed contract: its value is committed in the ledger. */
@Injectable()
@OnOutboxEvent({ types: ['contract.active'] })
export class ContractActiveHandler implements OutboxEventHandler<'contract.active'> {
  constructor(private readonly invoicing: InvoicingService) {}

  handle(event: OutboxRow<'contract.active'>, em: EntityManager): Promise<void> {
    return this.invoicing.commit(em, String(event.payload.data.contractId));
  }
}
