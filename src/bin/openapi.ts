// Writes openapi.yaml at the repository root from the code, or with --check exits 1 when
// the committed file differs. Usage: npm run openapi [-- --check]
// Runs from the nest build, because only that applies the @nestjs/swagger CLI plugin.
// The app is wired in preview mode: routes and metadata, no providers, no database.
import 'reflect-metadata';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createApp } from '../bootstrap.js';
import { loadConfig } from '../config/app-config.js';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';
import { CLIENT_TYPES_PATH, renderClientTypes } from '../openapi/client-types.js';
import { operationIdProblems, renderOpenApiYaml, summarizeDrift } from '../openapi/openapi-yaml.js';

const check = process.argv.includes('--check');
const target = resolve(process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? 'openapi.yaml');

/**
 * Request and response classes get their properties from the swagger CLI plugin. A build
 * that skipped it (e.g. an incremental build over files another compiler emitted) would
 * publish empty schemas, so refuse it.
 */
function pluginProblems(doc: OpenAPIObject): string[] {
  const empty = Object.entries(doc.components?.schemas ?? {})
    .filter(([, schema]) => 'properties' in schema && Object.keys(schema.properties ?? {}).length === 0)
    .map(([name]) => name);
  return empty.length ? [`schemas without properties (${empty.join(', ')}): this build lacks the swagger plugin's metadata; delete dist/ and run \`npm run openapi\` again`] : [];
}

async function generate(): Promise<string> {
  // A scratch data dir so config loading never creates secrets in the working tree.
  const scratch = mkdtempSync(join(tmpdir(), 'arvut-openapi-'));
  try {
    const unused = 'postgres://openapi:unused@127.0.0.1:9/unused'; // never connected to in preview mode
    const config = loadConfig({ NODE_ENV: 'test', ARVUT_DATA_DIR: scratch, DATABASE_URL: unused, LOG_LEVEL: 'silent' });
    const app = await createApp(config, unused, { preview: true });
    const doc = buildOpenApiDocument(app);
    const problems = [...operationIdProblems(doc), ...pluginProblems(doc)];
    if (problems.length) {
      console.error(`openapi: cannot write the contract:\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    return renderOpenApiYaml(doc);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const generated = await generate();
const committed = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
// The client's types follow the contract; --out= (a contract elsewhere) leaves them alone.
const typesTarget = process.argv.some((a) => a.startsWith('--out=')) ? undefined : resolve(CLIENT_TYPES_PATH);
const types = typesTarget ? await renderClientTypes(generated) : undefined;
const committedTypes = typesTarget && existsSync(typesTarget) ? readFileSync(typesTarget, 'utf8') : undefined;
if (check) {
  let current = true;
  if (committed === generated) {
    console.log(`${target} is up to date.`);
  } else {
    current = false;
    const summary = committed === undefined ? ['the file does not exist'] : summarizeDrift(committed, generated);
    console.error(`${target} differs from what the code generates:\n  ${summary.join('\n  ')}\nRun \`npm run openapi\` and commit the result.`);
  }
  if (typesTarget && committedTypes !== types) {
    current = false;
    console.error(`${typesTarget} differs from what openapi.yaml generates. Run \`npm run openapi\` and commit the result.`);
  }
  process.exit(current ? 0 : 1);
}
if (committed === generated) {
  console.log(`${target} unchanged.`);
} else {
  writeFileSync(target, generated);
  console.log(`Wrote ${target}.`);
}
if (typesTarget && committedTypes !== types) {
  writeFileSync(typesTarget, types!);
  console.log(`Wrote ${typesTarget}.`);
}
process.exit(0);
