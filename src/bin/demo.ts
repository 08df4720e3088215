// `npm run demo [-- --base-url URL] [--donors N] [--weeks N] [--public]`: plays the reference
// story against a running instance (default http://localhost:3000) through its public API
// and prints the logins it made and the URLs to look at. See README.md, "Demo".
import { parseArgs } from 'node:util';
import { runDemo } from './demo-story.js';

const { values } = parseArgs({
  options: {
    'base-url': { type: 'string', default: 'http://localhost:3000' },
    donors: { type: 'string', default: '100' },
    weeks: { type: 'string', default: '6' },
    public: { type: 'boolean', default: false },
  },
});

try {
  await runDemo({
    baseUrl: values['base-url'],
    donors: Number(values.donors),
    weeks: Number(values.weeks),
    publicReceipts: values.public,
    progress: process.stderr,
    print: (line) => console.log(line),
  });
  process.exit(0);
} catch (error) {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
