import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventPayloads, EventType } from './events';
import { insertEvent, markEventHandled } from './outbox.repository';

@Injectable()
export class OutboxService {
  /**
   * Writes the event in the caller's transaction: it exists exactly when the change commits.
   * With `availableAt` in the future it is a scheduled event: the relay leaves it until then
   * (a durable delay that survives a Redis loss, unlike a delayed BullMQ job).
   */
  emit<T extends EventType>(
    em: EntityManager,
    type: T,
    payload: EventPayloads[T],
    options: { availableAt?: string } = {},
  ): Promise<string> {
    return insertEvent(em, type, JSON.stringify(payload), options.availableAt ?? null);
  }

  /** Stamps an event handled (by a job that handles it outside the outbox consumer). */
  markHandled(em: EntityManager, id: string): Promise<void> {
    return markEventHandled(em, id);
  }
}
