import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/env';
import { ensureDatabase, migrate } from './shared/database/bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  await migrate(config);
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((err: unknown) => {
  // A bad configuration names its variable; anything else is printed whole.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
