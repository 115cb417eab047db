import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/env';
import { ensureDatabase, migrate } from './shared/database/bootstrap';

/** The worker process alone: outbox relay, sweeper and BullMQ workers, no HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  await migrate(config);
  const app = await NestFactory.createApplicationContext(AppModule.worker(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
