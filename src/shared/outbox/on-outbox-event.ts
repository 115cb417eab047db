import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { EventType, OutboxRow } from './events';

export interface OutboxHandlerMeta {
  /** The event types this handler consumes. */
  types: readonly EventType[];
  /**
   * The handler only inserts rows (idempotently): it takes no row lock or advisory lock and
   * calls nothing outside the database. Events whose handlers are all
   * insert-only may share one job and transaction with other such events (OUTBOX_JOB_SIZE);
   * any other event has a transaction of its own, since locks held on behalf of one event
   * until the batch commits could deadlock with API requests taking them in another order.
   */
  insertOnly?: boolean;
}

/**
 * A consumer of outbox events. It records its effects through `em`, the transaction that also
 * stamps the event handled, so an event's effects exist exactly once however often it runs.
 */
export interface OutboxEventHandler<T extends EventType = EventType> {
  handle(event: OutboxRow<T>, em: EntityManager): Promise<void>;
}

/**
 * Marks a provider as the handler of outbox events (one handler a file:
 * `jobs/<event>.handler.ts`); OutboxHandlers discovers every such provider at boot.
 *
 *   @OnOutboxEvent({ types: ['milestone.accepted'] })
 *   export class MilestoneAcceptedHandler implements OutboxEventHandler<'milestone.accepted'> { … }
 */
export const OnOutboxEvent = DiscoveryService.createDecorator<OutboxHandlerMeta>();
