import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { circleAccessSlot } from './circles/circle-access-prefetch.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { jsonOnly } from './common/http/json-only.middleware.js';
import { createValidationPipe } from './common/validation/validation.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';

export interface CreateAppOptions {
  /**
   * Wire modules and routes without instantiating providers: no database connection,
   * nothing started. Enough to build the OpenAPI document (src/bin/openapi.ts).
   */
  preview?: boolean;
  /** Where log lines go instead of stdout (tests capture them to check redaction). */
  logDestination?: DestinationStream;
}

/** Builds the configured application (not yet listening). Shared by main.ts, tests and scripts. */
export async function createApp(config: AppConfig, databaseUrl: string, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, options.logDestination), {
    preview: options.preview ?? false,
    bufferLogs: true,
    bodyParser: false,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', false);
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { useDefaults: true, directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } }));
  app.enableCors({
    origin: config.corsOrigins.length ? [...config.corsOrigins] : false,
    exposedHeaders: ['ETag', 'Idempotency-Replayed', 'Retry-After', 'Location'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'],
  });
  app.use(jsonOnly);
  app.useBodyParser('json', { limit: config.bodyLimit, type: ['application/json', 'application/*+json'] });
  app.use(circleAccessSlot);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  serveDocs(app);
  return app;
}

function serveDocs(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
