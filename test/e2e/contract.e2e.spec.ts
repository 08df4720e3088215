import { describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listOperations, operationIdProblems } from '../../src/openapi/openapi-yaml.js';
import { buildForTests, REPO_ROOT, run } from '../support/build.js';

type Operation = { operationId?: string; security?: unknown[]; 'x-min-role'?: string; responses: Record<string, { content?: Record<string, unknown> }> };
type Document = { paths: Record<string, Record<string, Operation>>; security?: unknown[]; components: { securitySchemes?: Record<string, unknown> } };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const readContract = (): Document => yaml.load(readFileSync(join(REPO_ROOT, 'openapi.yaml'), 'utf8')) as Document;

describe('the committed OpenAPI contract', () => {
  it('is exactly what the code generates (`npm run openapi` regenerates it)', async () => {
    const build = await buildForTests();
    const result = await run(process.execPath, [join(build, 'src', 'bin', 'openapi.js'), '--check']);
    if (result.code !== 0) throw new Error(`openapi.yaml is out of date:\n${result.output}`);
    expect(result.output).toContain('up to date');
  }, 300_000);

  it('names every operation with a unique operationId', () => {
    const doc = readContract();
    expect(listOperations(doc).length).toBeGreaterThan(0);
    expect(operationIdProblems(doc)).toEqual([]);
  });

  it('requires a bearer token by default and documents the problem responses', () => {
    const doc = readContract();
    expect(doc.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(method)) continue;
        const expected = ['500'];
        if ((op.security ?? doc.security ?? []).length > 0) expected.push('401');
        // A read for the circle's receipt visibility (x-min-role: reader) has no role to fall short of.
        if (path.includes('{circleId}')) expected.push(...(op['x-min-role'] === 'reader' ? ['404'] : ['403', '404']));
        for (const code of expected) {
          if (!op.responses[code]?.content?.['application/problem+json']) missing.push(`${method.toUpperCase()} ${path}: ${code}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('passes `redocly lint` with the recommended rules (warnings allowed, errors not)', async () => {
    const cli = join(REPO_ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
    const result = await run(process.execPath, [cli, 'lint', '--extends', 'recommended', '--format', 'stylish', 'openapi.yaml'], { env, timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`redocly lint found errors:\n${result.output}`);
    expect(result.output).toMatch(/valid/i);
  }, 150_000);
});
