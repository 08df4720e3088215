import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import yaml from 'js-yaml';
import { operationIdProblems, renderOpenApiYaml, summarizeDrift } from '../../src/openapi/openapi-yaml.js';

const doc = (paths: Record<string, unknown>): OpenAPIObject => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }) as OpenAPIObject;

describe('the openapi.yaml writer', () => {
  it('writes sorted keys and the same text for the same document', () => {
    const a = doc({ '/b': { get: { operationId: 'b', responses: {} } }, '/a': { post: { operationId: 'a', responses: {} } } });
    const text = renderOpenApiYaml(a);
    expect(text.indexOf('/a:')).toBeLessThan(text.indexOf('/b:'));
    expect(text.indexOf('info:')).toBeLessThan(text.indexOf('openapi:'));
    expect(renderOpenApiYaml(structuredClone(a))).toBe(text);
  });

  it('never writes YAML anchors for shared objects', () => {
    const shared = { description: 'x' };
    const text = renderOpenApiYaml(doc({ '/a': { get: { operationId: 'a', responses: { '500': shared } } }, '/b': { get: { operationId: 'b', responses: { '500': shared } } } }));
    expect(text).not.toMatch(/[&*]ref_/);
  });

  it('reports a missing or duplicated operationId', () => {
    const problems = operationIdProblems(doc({ '/a': { get: { operationId: 'list' }, post: {} }, '/b': { get: { operationId: 'list' } } }));
    expect(problems).toEqual(['POST /a has no operationId', 'operationId "list" is used by both GET /a and GET /b: rename one of the handler methods']);
  });

  it('summarises what changed between two versions', () => {
    const before = renderOpenApiYaml(doc({ '/a': { get: { operationId: 'a', summary: 'A' } }, '/gone': { get: { operationId: 'g' } } }));
    const after = renderOpenApiYaml(doc({ '/a': { get: { operationId: 'a', summary: 'A!' } }, '/new': { post: { operationId: 'n' } } }));
    expect(summarizeDrift(before, after)).toEqual(['~ operation GET /a', '+ operation POST /new', '- operation GET /gone']);
    expect(summarizeDrift(before, before.replace('summary: A', 'summary:   A'))).toEqual(['only formatting differs (the file was edited by hand?)']);
    expect(yaml.load(after)).toMatchObject({ paths: { '/new': { post: { operationId: 'n' } } } });
  });
});
