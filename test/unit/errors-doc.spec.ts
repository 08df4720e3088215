import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBLEM_CATALOG, type ProblemCode } from '../../src/common/errors/problem-catalog.js';
import { REPO_ROOT } from '../support/build.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
const rows = new Map(
  doc
    .split('\n')
    .map((line) => /^\|\s*`([a-z-]+)`\s*\|\s*(\d{3})\s*\|\s*([^|]+?)\s*\|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], { status: Number(m[2]), title: m[3] }]),
);

describe('docs/errors.md', () => {
  it.each(Object.keys(PROBLEM_CATALOG) as ProblemCode[])('documents %s with its status and title', (code) => {
    expect(rows.get(code)).toEqual({ status: PROBLEM_CATALOG[code].status, title: PROBLEM_CATALOG[code].title });
  });

  it('lists no code the API does not have', () => {
    expect([...rows.keys()].filter((code) => !(code in PROBLEM_CATALOG))).toEqual([]);
  });
});
