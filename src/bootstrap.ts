import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import type { AppConfig } from './config/env';
import { ProblemFilter } from './shared/http/problem.filter';
import { createValidationPipe } from './shared/http/validation';

export const API_PREFIX = 'api/v1';
const BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Efir API')
    .setDescription(
      'Commissioning marketplace between TV channels and production studios. Errors are RFC 9457 problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Builds the configured HTTP application (used by main.ts and by the e2e tests). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // A caller's X-Request-Id is kept when sane, otherwise one is minted; it is echoed back and
    // is the `req.id` of every log line of the request.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: false,
  });
  // JSON only: Fastify's built-in text/plain parser would hand a string to the JSON routes, and
  // the problem filter answers the resulting FST_ERR_CTP_INVALID_MEDIA_TYPE with a 415.
  adapter.getInstance().removeContentTypeParser('text/plain');
  adapter.getInstance().addHook('onRequest', (req, reply, done) => {
    if (!REQUEST_ID.test(req.id)) (req as { id: string }).id = randomUUID();
    (req.raw as { id?: string }).id = req.id; // for pino-http, which sees the raw request
    void reply.header('X-Request-Id', req.id);
    // API responses carry tokens, private and commercial data: not cached unless a handler says
    // otherwise (reliability-tests.md T-MISCONF (2)).
    if (req.url.startsWith(`/${API_PREFIX}/`)) void reply.header('Cache-Control', 'no-store');
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        scriptSrc: [`'self'`, `https: 'unsafe-inline'`],
      },
    },
  });
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
