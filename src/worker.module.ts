import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxConsumer } from './shared/outbox/outbox.consumer';
import { OutboxRelay } from './shared/outbox/outbox.relay';

/** The background half: outbox relay and sweeper, and the BullMQ workers. */
@Module({})
export class WorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: OutboxConsumer,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer.start();
    this.relay.start();
  }

  onApplicationShutdown(): void {
    this.relay.stop();
  }
}
