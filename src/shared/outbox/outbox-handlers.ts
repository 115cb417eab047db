import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { EVENT_TYPES, ROUTED_EVENTS, type EventType } from './events';
import { OnOutboxEvent, type OutboxEventHandler, type OutboxHandlerMeta } from './on-outbox-event';

export type { OutboxEventHandler } from './on-outbox-event';

/** The registry of outbox handlers: every `@OnOutboxEvent` provider, found at boot. */
@Injectable()
export class OutboxHandlers implements OnModuleInit {
  private readonly handlers = new Map<EventType, OutboxEventHandler[]>();
  private readonly notInsertOnly = new Set<EventType>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: OnOutboxEvent.KEY })) {
      const meta = this.discovery.getMetadataByDecorator(OnOutboxEvent, wrapper);
      const instance = wrapper.instance as OutboxEventHandler | undefined;
      if (!meta || !instance) continue;
      this.register(instance, meta);
    }
  }

  register(handler: OutboxEventHandler, meta: OutboxHandlerMeta): void {
    for (const type of meta.types) {
      const list = this.handlers.get(type) ?? [];
      if (!list.includes(handler)) list.push(handler);
      this.handlers.set(type, list);
      if (!meta.insertOnly) this.notInsertOnly.add(type);
    }
  }

  /** Whether events of this type may be handled in a batch (see OutboxHandlerMeta.insertOnly). */
  batchable(type: string): boolean {
    return this.handlers.has(type as EventType) && !this.notInsertOnly.has(type as EventType);
  }

  for(type: EventType): readonly OutboxEventHandler[] {
    return this.handlers.get(type) ?? [];
  }

  /** Checked when a worker starts: an event type nobody handles is a wiring bug. */
  assertComplete(): void {
    const missing = EVENT_TYPES.filter((t) => !this.handlers.has(t) && !ROUTED_EVENTS[t]);
    if (missing.length) throw new Error(`No outbox handler for: ${missing.join(', ')}`);
  }
}
