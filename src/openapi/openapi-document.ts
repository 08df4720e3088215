import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IS_PUBLIC } from '../auth/public.decorator.js';
import { MIN_ROLE_EXTENSION, type RouteRole } from '../circles/min-role.decorator.js';
import { PROBLEM_CATALOG } from '../common/errors/problem-catalog.js';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details. `type` is stable per kind of error (docs/errors.md).',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:arvut:problem:validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const DESCRIPTIONS: Record<string, string> = {
  '400': 'Invalid request (validation-failed, malformed-json, idempotency-key-missing)',
  '401': 'Missing, expired or invalid access token',
  '403': 'Your role in this circle does not allow this',
  '404': 'Not found, or not visible to you',
  '409': 'Conflicts with the current state',
  '412': 'If-Match does not match the current ETag',
  '413': 'Request body too large',
  '415': 'Request body is not application/json',
  '422': 'Idempotency-Key reused with a different request, or a data rule broken',
  '428': 'If-Match header required',
  '429': 'Rate limited; see Retry-After',
  '500': 'Unexpected error',
  '503': 'A dependency is unavailable',
};

type Operation = { responses: Record<string, unknown>; security?: unknown[]; parameters?: { name: string; in: string }[]; requestBody?: unknown; [MIN_ROLE_EXTENSION]?: RouteRole };

/** Adds the problem responses every operation can produce, so integrators see them in the contract. */
function documentProblems(doc: OpenAPIObject): void {
  doc.components = doc.components ?? {};
  doc.components.schemas = { ...(doc.components.schemas ?? {}), Problem: PROBLEM_SCHEMA };
  const ref = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const codes = new Set(Object.keys(op.responses).filter((c) => Number(c) >= 400));
      codes.add('500');
      if (op.requestBody || (op.parameters ?? []).some((p) => p.in === 'query')) codes.add('400');
      if (op.requestBody) ['413', '415'].forEach((c) => codes.add(c));
      if ((op.security ?? doc.security ?? []).length > 0) codes.add('401');
      if (path.includes('{')) codes.add('404');
      const minRole = op[MIN_ROLE_EXTENSION];
      if (path.includes('{circleId}') && minRole !== 'reader') codes.add('403');
      for (const code of codes) {
        // A controller's own description of an error (e.g. which problem type) wins over the generic one.
        const given = (op.responses[code] as { description?: string } | undefined)?.description;
        const generic = code === '403' && minRole && minRole !== 'member' ? `forbidden: this needs the ${minRole} role or higher in the circle` : DESCRIPTIONS[code];
        op.responses[code] = { description: given || (generic ?? code), ...ref };
      }
    }
  }
}

/** `Controller#method` of every handler marked @Public(), read the way the JWT guard reads it. */
function publicHandlers(app: INestApplication): Set<string> {
  const found = new Set<string>();
  for (const mod of app.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type?.prototype) continue;
      const classPublic: unknown = Reflect.getMetadata(IS_PUBLIC, type);
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler: unknown = name === 'constructor' ? undefined : (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        if ((Reflect.getMetadata(IS_PUBLIC, handler) ?? classPublic) === true) found.add(`${type.name}#${name}`);
      }
    }
  }
  return found;
}

/**
 * operationId = the handler's method name (docs/architecture.md "The contract"). Public handlers get `security: []`,
 * so the contract says which operations need no token and they get no 401.
 */
function markPublicOperations(doc: OpenAPIObject, publicKeys: Set<string>): void {
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item as Record<string, Operation & { operationId?: string }>)) {
      if (typeof op !== 'object' || op === null || typeof op.operationId !== 'string' || !op.operationId.includes('#')) continue;
      if (publicKeys.has(op.operationId)) op.security = [];
      op.operationId = op.operationId.slice(op.operationId.indexOf('#') + 1);
    }
  }
}

/** `{ allOf: [{ $ref }] }` with nothing beside it (how enums by name come out) says no more than the `$ref`. */
function unwrapLoneAllOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapLoneAllOf);
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && Array.isArray(record.allOf) && record.allOf.length === 1) return unwrapLoneAllOf(record.allOf[0]);
  return Object.fromEntries(keys.map((k) => [k, unwrapLoneAllOf(record[k])]));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('arvut')
    .setDescription(
      'Mutual-aid ledger and micro-grant API: recurring neighbour-funded payouts, rosters with waitlists, ' +
        'verifiable receipts and minimal personal data. Errors are RFC 9457 problem documents; ' +
        `their types: ${Object.keys(PROBLEM_CATALOG).join(', ')}.`,
    )
    .setVersion('1')
    .setLicense('AGPL-3.0-or-later', 'https://www.gnu.org/licenses/agpl-3.0.html')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller}#${method}` });
  markPublicOperations(doc, publicHandlers(app));
  documentProblems(doc);
  return sortKeys(unwrapLoneAllOf(doc)) as OpenAPIObject;
}
