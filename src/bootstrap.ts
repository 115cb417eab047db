import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppModule, type AppOptions } from './app.module';
import type { AppConfig } from './config/env';
import { ERRORS_BY_CONSTRAINT } from './error-registry';
import { routeDocs } from './openapi';
import pluginMetadata from './openapi-metadata';
import { completeDocument } from './shared/openapi/complete-document';
import { registerJsonParser } from './shared/http/json-body';
import { ProblemFilter } from './shared/http/problem.filter';
import { createValidationPipe } from './shared/http/validation';

export const API_PREFIX = 'api/v1';
// The largest body a route takes is a bid or a brief (tens of thousands of characters of text);
// credential routes take a few hundred bytes.
const BODY_LIMIT = 256 * 1024;
const SMALL_BODY_LIMIT = 16 * 1024;
const SMALL_BODY_ROUTES = new RegExp(`^/${API_PREFIX}/auth/`);

// Strict for every response: the API serves JSON and files, never pages. Only the OpenAPI UI
// under /docs runs scripts and styles of its own.
const STRICT_CSP = {
  defaultSrc: [`'none'`],
  frameAncestors: [`'none'`],
  baseUri: [`'none'`],
  formAction: [`'none'`],
};
const DOCS_CSP = [
  `default-src 'self'`,
  `style-src 'self' 'unsafe-inline'`,
  `img-src 'self' data: validator.swagger.io`,
  `script-src 'self' https: 'unsafe-inline'`,
  `frame-ancestors 'none'`,
].join('; ');
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** proxy-addr's rule for a hop count: the nearest `hops` addresses are trusted proxies. */
const hopsTrusted =
  (hops: number) =>
  (_address: string, hop: number): boolean =>
    hop < hops;

export async function openApiDocument(app: NestFastifyApplication): Promise<OpenAPIObject> {
  // What the swagger compiler plugin knows (types, doc comments), also under jest and ts-node.
  await SwaggerModule.loadPluginMetadata(pluginMetadata);
  const config = new DocumentBuilder()
    .setTitle('Efir API')
    .setDescription(
      'Commissioning marketplace between TV channels and production studios. Errors are RFC 9457 problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  // Paths are relative to the server URL (`/api/v1`), which generated clients take as their base.
  const document = SwaggerModule.createDocument(app, config, { ignoreGlobalPrefix: true });
  return completeDocument(document, routeDocs(app), `/${API_PREFIX}`);
}

/** Builds the configured HTTP application (used by main.ts and by the e2e tests). */
export async function createApp(
  config: AppConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // A caller's X-Request-Id is kept when sane, otherwise one is minted; it is echoed back and
    // is the `req.id` of every log line of the request.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // TRUST_PROXY: which hops may set X-Forwarded-For; req.ip is then the client behind them, so
    // per-address limits stay per client behind a load balancer.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? hopsTrusted(config.trustProxy) // Fastify takes a hop count at run time; its types do not
        : config.trustProxy,
  });
  const fastify = adapter.getInstance();
  // JSON only, depth-checked (Nest's own JSON and form parsers are off below): any other media
  // type is FST_ERR_CTP_INVALID_MEDIA_TYPE, which the problem filter answers with a 415.
  registerJsonParser(fastify);
  fastify.addHook('onRoute', (route) => {
    if (SMALL_BODY_ROUTES.test(route.url)) route.bodyLimit = SMALL_BODY_LIMIT;
  });
  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (req.url === '/docs' || req.url.startsWith('/docs/'))
      void reply.header('Content-Security-Policy', DOCS_CSP);
    done(null, payload);
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    if (!REQUEST_ID.test(req.id)) (req as { id: string }).id = randomUUID();
    (req.raw as { id?: string }).id = req.id; // for pino-http, which sees the raw request
    void reply.header('X-Request-Id', req.id);
    // API responses carry tokens, private and commercial data: not cached by any browser or
    // proxy unless a handler says otherwise. Handlers do not repeat this header.
    if (req.url.startsWith(`/${API_PREFIX}/`)) void reply.header('Cache-Control', 'no-store');
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, options), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  for (const name of config.generatedSecrets) {
    logger.warn(`${name} is not set: using a random one for this process (set it outside development)`);
  }
  if (config.webhookSecretKey === null) {
    logger.warn(
      `WEBHOOK_SECRET_KEY is not set: webhook secrets are encrypted with a development key in ${config.keysDir}`,
    );
  }
  app.enableShutdownHooks();
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(ERRORS_BY_CONSTRAINT));
  await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: STRICT_CSP } });
  SwaggerModule.setup('docs', app, await openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
