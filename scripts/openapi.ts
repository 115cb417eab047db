// `ts-node --transpile-only scripts/openapi.ts <outfile>`: writes the application's OpenAPI
// document (the one served at /docs-json) as JSON. Boots the app as src/main.ts does, without
// listening, with the configuration of the environment (loadConfig).
import { writeFileSync } from 'node:fs';
import { createApp, openApiDocument } from '../src/bootstrap';
import { loadConfig } from '../src/config/env';
import { ensureDatabase } from '../src/shared/database/bootstrap';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: scripts/openapi.ts <outfile>');
  const config = loadConfig({ LOG_LEVEL: 'silent', ...process.env });
  await ensureDatabase(config.databaseUrl);
  const app = await createApp(config);
  try {
    writeFileSync(out, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
