import yaml from 'js-yaml';
import type { OpenAPIObject } from '@nestjs/swagger';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export const OPENAPI_HEADER = '# Generated from the code by `npm run openapi`. Do not edit by hand: the test suite checks it.\n';

/** The committed form of the contract: sorted keys, no YAML anchors, no line folding. */
export function renderOpenApiYaml(doc: OpenAPIObject): string {
  return OPENAPI_HEADER + yaml.dump(doc, { sortKeys: true, noRefs: true, lineWidth: -1, quotingType: "'" });
}

interface OperationLike {
  operationId?: string;
}

/** Every operation as `METHOD /path` with its operationId. */
export function listOperations(doc: Pick<OpenAPIObject, 'paths'>): { key: string; operationId: string | undefined; operation: unknown }[] {
  const result: { key: string; operationId: string | undefined; operation: unknown }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, OperationLike>)) {
      if (!HTTP_METHODS.includes(method)) continue;
      result.push({ key: `${method.toUpperCase()} ${path}`, operationId: op.operationId, operation: op });
    }
  }
  return result;
}

/**
 * operationId is the handler's method name (docs/architecture.md "The contract"), so two controllers with a method of
 * the same name collide: client generators need them unique. Returns what is wrong.
 */
export function operationIdProblems(doc: Pick<OpenAPIObject, 'paths'>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { key, operationId } of listOperations(doc)) {
    if (!operationId) {
      problems.push(`${key} has no operationId`);
      continue;
    }
    const other = seen.get(operationId);
    if (other) problems.push(`operationId "${operationId}" is used by both ${other} and ${key}: rename one of the handler methods`);
    else seen.set(operationId, key);
  }
  return problems;
}

const stable = (value: unknown): string => JSON.stringify(value);

/** A few lines saying what differs between the committed contract and the generated one. */
export function summarizeDrift(committedText: string, generatedText: string, maxLines = 20): string[] {
  let committed: Partial<OpenAPIObject>;
  try {
    committed = (yaml.load(committedText) ?? {}) as Partial<OpenAPIObject>;
  } catch {
    return ['the committed openapi.yaml is not valid YAML'];
  }
  const generated = yaml.load(generatedText) as OpenAPIObject;
  const lines: string[] = [];
  const before = new Map(listOperations({ paths: committed.paths ?? {} }).map((o) => [o.key, o.operation]));
  const after = new Map(listOperations(generated).map((o) => [o.key, o.operation]));
  for (const [key, op] of after) {
    if (!before.has(key)) lines.push(`+ operation ${key}`);
    else if (stable(before.get(key)) !== stable(op)) lines.push(`~ operation ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) lines.push(`- operation ${key}`);
  const schemasBefore = (committed.components?.schemas ?? {}) as Record<string, unknown>;
  const schemasAfter = (generated.components?.schemas ?? {}) as Record<string, unknown>;
  for (const [name, schema] of Object.entries(schemasAfter)) {
    if (!(name in schemasBefore)) lines.push(`+ schema ${name}`);
    else if (stable(schemasBefore[name]) !== stable(schema)) lines.push(`~ schema ${name}`);
  }
  for (const name of Object.keys(schemasBefore)) if (!(name in schemasAfter)) lines.push(`- schema ${name}`);
  const rest = new Set([...Object.keys(committed), ...Object.keys(generated)]);
  for (const key of rest) {
    if (key === 'paths') continue;
    const a = (committed as Record<string, unknown>)[key];
    const b = (generated as unknown as Record<string, unknown>)[key];
    if (key === 'components') {
      const { schemas: _a, ...restA } = (a ?? {}) as Record<string, unknown>;
      const { schemas: _b, ...restB } = (b ?? {}) as Record<string, unknown>;
      if (stable(restA) !== stable(restB)) lines.push('~ components (other than schemas)');
    } else if (stable(a) !== stable(b)) {
      lines.push(`~ ${key}`);
    }
  }
  if (lines.length === 0) lines.push('only formatting differs (the file was edited by hand?)');
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `… and ${lines.length - maxLines} more`] : lines;
}
