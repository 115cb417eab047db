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

export interface HandlerOptions {
  /**
   * The handler only inserts rows (idempotently): it takes no row lock, no advisory lock (no
   * audit append) and calls nothing outside the database. Events whose handlers are all
   * insert-only may share one job and transaction with other such events (OUTBOX_JOB_SIZE);
   * any other event has a transaction of its own, since locks held on behalf of one event
   * until the batch commits could deadlock with API requests taking them in another order.
   */
  insertOnly?: boolean;
}

@Injectable()
export class OutboxHandlers {
  private readonly handlers = new Map<EventType, OutboxHandler[]>();
  private readonly notInsertOnly = new Set<EventType>();

  on<T extends EventType>(type: T, handler: OutboxHandler<T>, options: HandlerOptions = {}): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as OutboxHandler);
    this.handlers.set(type, list);
    if (!options.insertOnly) this.notInsertOnly.add(type);
  }

  /** Whether events of this type may be handled in a batch (see HandlerOptions.insertOnly). */
  batchable(type: string): boolean {
    return this.handlers.has(type as EventType) && !this.notInsertOnly.has(type as EventType);
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
