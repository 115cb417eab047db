import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_TYPES, ROUTED_EVENTS, type EventType, type OutboxRow } from './events';

/**
 * A consumer of outbox events. It records its effects through `em`, the transaction that also
 * stamps the event handled, so an event's effects exist exactly once however often it runs.
 */
export type OutboxHandler<T extends EventType = EventType> = (
  event: OutboxRow<T>,
  em: EntityManager,
) => Promise<void>;

@Injectable()
export class OutboxHandlers {
  private readonly handlers = new Map<EventType, OutboxHandler[]>();

  on<T extends EventType>(type: T, handler: OutboxHandler<T>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as OutboxHandler);
    this.handlers.set(type, list);
  }

  for(type: string): OutboxHandler[] {
    return this.handlers.get(type as EventType) ?? [];
  }

  /** Checked when a worker starts: an event type nobody handles is a wiring bug. */
  assertComplete(): void {
    const missing = EVENT_TYPES.filter((t) => !this.handlers.has(t) && !ROUTED_EVENTS[t]);
    if (missing.length) throw new Error(`No outbox handler for: ${missing.join(', ')}`);
  }
}
