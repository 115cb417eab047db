/**
 * Writes the OpenAPI document to a file without a database or Redis: the application is built
 * in Nest's preview mode (modules and routes are scanned, no provider is instantiated).
 *
 *   ts-node --transpile-only scripts/openapi.ts [outfile]   (default: a file in the temp dir)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppModule } from '../src/app.module';
import { API_PREFIX, openApiDocument } from '../src/bootstrap';
import { loadConfig } from '../src/config/env';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? join(tmpdir(), 'efir-openapi.json'));
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', KEYS_DIR: tmpdir() });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    new FastifyAdapter(),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  app.setGlobalPrefix(API_PREFIX);
  const document = await openApiDocument(app);
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  console.log(out);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
