// `npm start` runs src/bin/build-if-stale.mjs first: it must build when sources changed
// since the last build and must not when nothing did (a second start stays fast).
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(process.cwd(), 'src', 'bin', 'build-if-stale.mjs');

/** A scratch checkout whose `nest build` only leaves a marker file and the build outputs. */
function scratchCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'arvut-build-'));
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'node_modules', '@nestjs', 'cli', 'bin'), { recursive: true });
  writeFileSync(join(root, 'src', 'main.ts'), 'export {};\n');
  writeFileSync(
    join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'),
    `const fs = require('node:fs'); fs.mkdirSync('dist/src', { recursive: true }); fs.writeFileSync('dist/src/main.js', ''); fs.writeFileSync('dist/.tsbuildinfo', ''); fs.appendFileSync('built', 'x');\n`,
  );
  return root;
}

const run = (root: string) => spawnSync(process.execPath, [script], { cwd: root, env: { ...process.env, ARVUT_BUILD_ROOT: root }, encoding: 'utf8' });
const builds = (root: string) => (existsSync(join(root, 'built')) ? spawnSync('cat', [join(root, 'built')], { encoding: 'utf8' }).stdout.length : 0);

describe('npm start builds only when something changed', () => {
  it('builds a fresh checkout, then skips the build until a source file changes', () => {
    const root = scratchCheckout();
    try {
      expect(run(root).status).toBe(0);
      expect(builds(root)).toBe(1);

      const second = run(root);
      expect(second.status).toBe(0);
      expect(second.stdout).toContain('not rebuilding');
      expect(builds(root)).toBe(1);

      const later = new Date(Date.now() + 5_000);
      utimesSync(join(root, 'src', 'main.ts'), later, later);
      expect(run(root).status).toBe(0);
      expect(builds(root)).toBe(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
