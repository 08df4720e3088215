import yaml from 'js-yaml';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './build.js';

/** The parts of an OpenAPI 3.0 schema the generated tests read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface ContractOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
  /** The route's minimum circle role (`@MinRole`), or `reader` for reads the circle's receipt visibility governs. */
  'x-min-role'?: 'organizer' | 'treasurer' | 'donor' | 'member' | 'reader';
  /** True when the operation needs a bearer token (its own security, or the document's). */
  authenticated: boolean;
}

export interface Contract {
  paths: Record<string, Record<string, Omit<ContractOperation, 'method' | 'path' | 'authenticated'>>>;
  security?: unknown[];
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function loadContract(): Contract {
  return yaml.load(readFileSync(join(REPO_ROOT, 'openapi.yaml'), 'utf8')) as Contract;
}

export function contractOperations(contract: Contract): ContractOperation[] {
  const ops: ContractOperation[] = [];
  for (const [path, item] of Object.entries(contract.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      ops.push({ ...op, method, path, authenticated: (op.security ?? contract.security ?? []).length > 0 });
    }
  }
  return ops;
}

function resolveRef(contract: Contract, ref: string): Schema {
  const name = ref.replace('#/components/schemas/', '');
  const schema = contract.components?.schemas?.[name];
  if (!schema) throw new Error(`openapi.yaml: ${ref} does not resolve`);
  return schema;
}

function sampleString(schema: Schema, name: string): string {
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return `sample-${randomBytes(4).toString('hex')}@example.org`;
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'uri':
    case 'url':
      return 'https://example.org/';
  }
  if (/currency/i.test(name)) return 'USD';
  if (/timezone/i.test(name)) return 'America/New_York';
  if (/id$/i.test(name)) return randomUUID();
  const length = Math.min(Math.max(schema.minLength ?? 1, 12), schema.maxLength ?? 12);
  return 'sample-value-text'.padEnd(length, 'x').slice(0, length);
}

/**
 * A small value that satisfies `schema`: the schema's example or default when it has one,
 * otherwise built from types, formats, enums and bounds, with required properties only.
 * A DTO whose constraints this cannot meet (e.g. a pattern) needs an `example`.
 */
export function sample(contract: Contract, schema: Schema | undefined, name = ''): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return sample(contract, resolveRef(contract, schema.$ref), name);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf.map((s) => sample(contract, s, name)));
  const alternative = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alternative) return sample(contract, alternative, name);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return true;
    case 'string':
      return sampleString(schema, name);
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(contract, schema.items, name));
    default: {
      const body: Record<string, unknown> = {};
      for (const key of schema.required ?? []) body[key] = sample(contract, schema.properties?.[key], key);
      return body;
    }
  }
}

/** The path with `{circleId}` set to `circleId` and every other parameter to a plausible value. */
export function fillPath(contract: Contract, op: ContractOperation, values: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (values[name] !== undefined) return encodeURIComponent(values[name]);
    const param = op.parameters?.find((p) => p.in === 'path' && p.name === name);
    const value = param?.schema ? sample(contract, param.schema, name) : undefined;
    if (typeof value === 'string' || typeof value === 'number') return encodeURIComponent(String(value));
    // Tokens in paths (invites) are opaque strings; ids are UUIDs.
    return /id$/i.test(name) ? randomUUID() : randomBytes(24).toString('base64url');
  });
}

/** Required query parameters with sample values. */
export function sampleQuery(contract: Contract, op: ContractOperation): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const p of op.parameters ?? []) if (p.in === 'query' && p.required) query[p.name] = sample(contract, p.schema, p.name);
  return query;
}

/** A minimal JSON body for the operation, or undefined when it takes none. */
export function sampleBody(contract: Contract, op: ContractOperation): unknown {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  return schema ? sample(contract, schema) : undefined;
}
