import { Module, type DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoOptions } from 'pino-http';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { AuditModule } from './modules/audit/audit.module';
import { BidsModule } from './modules/bids/bids.module';
import { BriefsModule } from './modules/briefs/briefs.module';
import { ContractsModule } from './modules/contracts/contracts.module';
import { DeliverablesModule } from './modules/deliverables/deliverables.module';
import { FinanceModule } from './modules/finance/finance.module';
import { IdeasModule } from './modules/ideas/ideas.module';
import { TransparencyModule } from './modules/transparency/transparency.module';
import { HealthModule } from './modules/health/health.module';
import { OpsModule } from './modules/ops/ops.module';
import { IdentityModule } from './modules/identity/identity.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { OrganisationsModule } from './modules/organisations/organisations.module';
import { DatabaseModule } from './shared/database/database.module';
import { OutboxModule } from './shared/outbox/outbox.module';
import { QueueModule } from './shared/queue/queue.module';
import { loggableError, loggableUrl } from './shared/logging';
import { WorkerModule } from './worker.module';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
  // Backstops behind loggableError (src/shared/logging.ts): SQL and its bound values.
  'err.query',
  'err.parameters',
  'err.driverError',
  '*.parameters',
];

/** Process-level options that are not configuration (tests read the log through a stream). */
export interface AppOptions {
  logDestination?: DestinationStream;
}

function loggerModule(config: AppConfig, options: AppOptions): DynamicModule {
  const pinoOptions: PinoOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The id Fastify assigned (see bootstrap.ts); the worker process has no requests.
    genReqId: (req: IncomingMessage) => (req as { id?: string }).id ?? randomUUID(),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(req.url),
      }),
      err: loggableError,
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => req.url?.startsWith('/api/v1/health') ?? false },
  };
  return LoggerModule.forRoot({
    pinoHttp: options.logDestination ? [pinoOptions, options.logDestination] : pinoOptions,
  });
}

/** The feature modules, shared by the API process and the worker process. */
function coreModules(config: AppConfig, options: AppOptions) {
  return [
    ConfigModule.register(config),
    loggerModule(config, options),
    DatabaseModule,
    QueueModule,
    OutboxModule,
    AuditModule,
    IdentityModule,
    OrganisationsModule,
    BriefsModule,
    BidsModule,
    ContractsModule,
    DeliverablesModule,
    FinanceModule,
    IdeasModule,
    TransparencyModule,
    NotificationsModule,
  ];
}

@Module({})
export class AppModule {
  /** The API; with RUN_WORKER=true (the default) the workers run in the same process. */
  static register(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules(config, options),
        HealthModule,
        OpsModule,
        ...(config.runWorker ? [WorkerModule] : []),
      ],
    };
  }

  /** The worker process: the same modules, no HTTP. */
  static worker(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [...coreModules(config, {}), WorkerModule] };
  }
}
