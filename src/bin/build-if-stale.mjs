// `npm start` runs this first: it builds the API (`nest build`) only when something the build
// reads is newer than the last build, so a second start with nothing changed skips the
// compiler. Plain JavaScript, because it runs before there is anything compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

// ARVUT_BUILD_ROOT: another checkout to judge (the tests use a scratch one).
const root = process.env.ARVUT_BUILD_ROOT || new URL('../..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.tsbuildinfo');
const entry = join(root, 'dist', 'src', 'main.js');
const inputs = ['src', 'migrations', 'tsconfig.json', 'nest-cli.json', 'package.json', 'package-lock.json'];

/** The newest modification time of a file or of any file below a folder. */
function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs);
}

const built = existsSync(entry) && existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = Math.max(...inputs.map((input) => newest(join(root, input))));
if (built > changed) {
  console.log('dist/ is current: not rebuilding');
} else {
  const nest = join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
  const result = spawnSync(process.execPath, [nest, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc leaves its build info untouched when no output changed: mark this build as the latest.
  const now = new Date();
  if (existsSync(stamp)) utimesSync(stamp, now, now);
}
