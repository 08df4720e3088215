import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module.js';
import { openCircleAccessSlot } from './circles/circle-access-prefetch.js';
import { DomainError } from './common/errors/domain-error.js';
import { negotiateLanguage } from './common/i18n/languages.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { registerFormBodies } from './common/http/form-body.js';
import { registerJsonBodies } from './common/http/json-body.js';
import { registerSecurityHeaders } from './common/http/security-headers.js';
import { createRootLogger, NestPinoLogger, redactUrl, requestIdOf } from './common/logging/logger-options.js';
import { createValidationPipe } from './common/validation/validation.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { ASSETS_PREFIX, isPageForm } from './web/page-paths.js';
import { fileURLToPath } from 'node:url';
import { registerPageViews } from './web/page-renderer.js';

/** The HTTP platform under Nest, as the benchmarks report it. */
export const HTTP_PLATFORM = 'fastify';

export interface CreateAppOptions {
  /**
   * Wire modules and routes without instantiating providers: no database connection,
   * nothing started. Enough to build the OpenAPI document (src/bin/openapi.ts).
   */
  preview?: boolean;
  /** Where log lines go instead of stdout (tests capture them to check redaction). */
  logDestination?: DestinationStream;
}

/**
 * Builds the configured application (not yet listening) on Fastify, through Nest's
 * adapter. Shared by main.ts, tests and scripts. docs/architecture.md follows a request
 * through what is registered here.
 */
export async function createApp(config: AppConfig, databaseUrl: string, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config.logLevel, options.logDestination);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    disableRequestLogging: true,
    genReqId: requestIdOf,
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // Client addresses come from the socket unless TRUST_PROXY names the proxies to believe.
    trustProxy: trustedProxies(config.trustProxy),
    // No Nest middleware is used: every per-request step is a Fastify hook, a guard or an interceptor.
    skipMiddie: true,
    return503OnClosing: true,
    // A path Fastify's router cannot decode, or with a parameter longer than any id, names
    // nothing this API has: the same 404 problem as an unknown id.
    frameworkErrors: (_error: unknown, req: FastifyRequest, reply: FastifyReply) => {
      const { body } = new ProblemFilter().toProblem(DomainError.notFound('resource'), negotiateLanguage(req.headers['accept-language']));
      void reply.status(404).type('application/problem+json').send(JSON.stringify({ ...body, requestId: req.id }));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    preview: options.preview ?? false,
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new NestPinoLogger(logger));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  registerSecurityHeaders(fastify, { contentSecurityPolicy: { useDefaults: true, directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } });
  app.enableCors({
    origin: config.corsOrigins.length ? [...config.corsOrigins] : false,
    exposedHeaders: ['ETag', 'Idempotency-Replayed', 'Retry-After', 'Location'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'],
  });
  registerJsonBodies(fastify, config.bodyLimitBytes);
  // HTML forms only on the pages' POST routes (src/web/); every API route still reads JSON alone.
  registerFormBodies(fastify, isPageForm);
  // The pages' language choice and CSRF secret are cookies; the API itself reads none.
  await app.register(cookie as never);
  // The pages' one stylesheet and one script (src/web/assets/), nothing from elsewhere.
  await registerPageViews(fastify);
  await app.register(fastifyStatic as never, { root: fileURLToPath(new URL('./web/assets/', import.meta.url)), prefix: ASSETS_PREFIX, decorateReply: false, maxAge: 3_600_000 });
  // multipart/form-data is read only by routes that ask for a file (src/requests/uploaded-file.decorator.ts),
  // each with its own limits; registered after the JSON parsers, which remove every other parser.
  await app.register(multipart as never, { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 0, parts: 1 }, throwFileSizeLimit: true });
  fastify.addHook('preHandler', openCircleAccessSlot);
  logRequests(fastify, logger);
  noStoreByDefault(fastify);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  serveDocs(app);
  return app;
}

/**
 * TRUST_PROXY as Fastify takes it. A hop count trusts that many addresses from the socket
 * inward whoever they are (Fastify's own number option trusts none), so it is only safe
 * when nothing but the proxies can reach the API (docs/security.md).
 */
function trustedProxies(trust: AppConfig['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/**
 * One line per finished request: id, method, path (bearer secrets in it redacted), status
 * and duration. No address, headers, query string or body: they may carry personal data.
 */
function logRequests(fastify: FastifyInstance, logger: PinoLogger): void {
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (req, reply, done) => {
    if (!req.url.startsWith('/health')) {
      const line = { req: { id: req.id, method: req.method, url: redactUrl(req.url) }, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
      if (reply.statusCode >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    }
    done();
  });
}

/**
 * API answers are per caller and often private (tokens, invites, vault reads, links,
 * exports): no browser or shared cache may keep them unless a route says otherwise.
 */
function noStoreByDefault(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (!reply.hasHeader('cache-control') && req.url.startsWith('/v1/')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });
}

function serveDocs(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
