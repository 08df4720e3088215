// The repository explains itself: every rule a comment or a doc points at is in a file of
// the repository (docs/architecture.md "Where the rules are written").
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../support/build.js';

const ROOT = REPO_ROOT;
const SCANNED = ['src', 'test', 'migrations', 'docs', 'README.md'];

function filesUnder(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

const files = SCANNED.flatMap((p) => filesUnder(join(ROOT, p)))
  .filter((f) => /\.(ts|mjs|js|md|sql)$/.test(f))
  .map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') }));

/** Every line of the scanned files that matches `pattern`, as "path:line: text". */
function hits(pattern: RegExp, except: (path: string) => boolean = () => false): string[] {
  return files
    .filter((f) => !except(f.path))
    .flatMap((f) => f.text.split('\n').flatMap((line, i) => (pattern.test(line) ? [`${f.path}:${i + 1}: ${line.trim()}`] : [])));
}

const thisFile = (path: string): boolean => path === 'test/unit/references.spec.ts';

/** Headings of a markdown file, without the hashes. */
function headings(doc: string): string[] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  return [...text.matchAll(/^#+\s+(.+)$/gm)].map((m) => m[1].trim());
}

describe('references', () => {
  it('cite no file outside the repository', () => {
    expect(hits(/\b(DESIGN|STYLE)\.md\b|\.\.\/shared\b/, thisFile)).toEqual([]);
  });

  it('cite no issue numbers or work sessions', () => {
    expect(hits(/\b(issues?|sessions?)\s+#?\d+|\bsession #?\d+|(^|\s)#\d+\b(?!\))/i, thisFile)).toEqual([]);
  });

  it('number only invariants that docs/design.md defines', () => {
    const design = readFileSync(join(ROOT, 'docs/design.md'), 'utf8');
    const section = design.slice(design.indexOf('## Invariants'), design.indexOf('\n## ', design.indexOf('## Invariants') + 1));
    const defined = new Set([...section.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1])));
    expect(defined.size).toBeGreaterThan(0);
    const undefinedOnes = files.flatMap((f) =>
      [...f.text.matchAll(/\binvariants?\s+(\d+)/gi)].filter((m) => !defined.has(Number(m[1]))).map((m) => `${f.path}: ${m[0]}`),
    );
    expect(undefinedOnes).toEqual([]);
  });

  it('name sections that exist in the docs they point at', () => {
    const cited = files.flatMap((f) => [...f.text.matchAll(/\bdocs\/([\w-]+\.md),? "([^"\n]+)"/g)].map((m) => ({ from: f.path, doc: `docs/${m[1]}`, section: m[2] })));
    expect(cited.length).toBeGreaterThan(0);
    // A heading may say more after the name cited: "Users (people with an account)" is "Users".
    const exists = (doc: string, section: string): boolean => headings(doc).some((h) => h === section || h.startsWith(`${section} `));
    const missing = cited.filter((c) => !exists(c.doc, c.section)).map((c) => `${c.from} → ${c.doc} "${c.section}"`);
    expect(missing).toEqual([]);
  });
});
