import { Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { OutboxConsumer } from './shared/outbox/outbox.consumer';
import { OutboxRelay } from './shared/outbox/outbox.relay';
import { QueueService } from './shared/queue/queue.service';

/** The background half: outbox relay and sweeper, and the BullMQ workers. */
@Module({})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: OutboxConsumer,
    private readonly queues: QueueService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer.start();
    this.queues.startRegisteredWorkers();
    this.relay.start();
  }

  // Before the database and Redis connections close (their hooks run at onApplicationShutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
