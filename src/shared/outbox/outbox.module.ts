import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxConsumer } from './outbox.consumer';
import { OutboxHandlers } from './outbox-handlers';
import { OutboxRelay } from './outbox.relay';
import { OutboxService } from './outbox.service';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [OutboxService, OutboxHandlers, OutboxRelay, OutboxConsumer],
  exports: [OutboxService, OutboxHandlers, OutboxRelay, OutboxConsumer],
})
export class OutboxModule {}
