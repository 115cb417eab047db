import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { InvoicingService } from '../invoicing.service';

/** An invoice still open INVOICE_REMINDER_DAYS after issue: the payer's finance users hear of it. */
@Injectable()
@OnOutboxEvent({ types: ['invoice.reminder'] })
export class InvoiceReminderHandler implements OutboxEventHandler<'invoice.reminder'> {
  constructor(private readonly invoicing: InvoicingService) {}

  handle(event: OutboxRow<'invoice.reminder'>, em: EntityManager): Promise<void> {
    return this.invoicing.remind(em, event.payload.invoiceId);
  }
}
