import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
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

type Operation = { responses: Record<string, unknown>; security?: unknown[]; parameters?: { name: string; in: string }[]; requestBody?: unknown };

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
      if (path.includes('{circleId}')) codes.add('403');
      for (const code of codes) op.responses[code] = { description: DESCRIPTIONS[code] ?? code, ...ref };
    }
  }
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
    .addServer('http://localhost:3000', 'Local default')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
  documentProblems(doc);
  return sortKeys(doc) as OpenAPIObject;
}
