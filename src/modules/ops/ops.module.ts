import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { MetricsService } from './metrics.service';
import { OpsController } from './ops.controller';
import { QueueDashboard } from './queue-dashboard';

/** Operations: Prometheus metrics and the queue dashboard (API process only). */
@Module({
  imports: [IdentityModule],
  controllers: [OpsController],
  providers: [MetricsService, QueueDashboard],
})
export class OpsModule {}
