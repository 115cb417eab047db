import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxRow } from '../../../shared/outbox/events';
import { OnOutboxEvent, type OutboxEventHandler } from '../../../shared/outbox/on-outbox-event';
import { MilestoneReminders } from '../milestone-reminders';

/** A scheduled milestone reminder (due soon, review overdue), if it still applies. */
@Injectable()
@OnOutboxEvent({ types: ['milestone.reminder'] })
export class MilestoneReminderHandler implements OutboxEventHandler<'milestone.reminder'> {
  constructor(private readonly reminders: MilestoneReminders) {}

  handle(event: OutboxRow<'milestone.reminder'>, em: EntityManager): Promise<void> {
    return this.reminders.remind(event.payload, em);
  }
}
