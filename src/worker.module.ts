import { Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { OutboxConsumer } from './shared/outbox/outbox.consumer';
import { OutboxRelay } from './shared/outbox/outbox.relay';

/** The background half: outbox relay and sweeper, and the BullMQ workers. */
@Module({})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: OutboxConsumer,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer.start();
    this.relay.start();
  }

  // Before the database and Redis connections close (their hooks run at onApplicationShutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
