import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const held = globalThis.__ARVUT_PG__;
  if (!held) return;
  await held.server.stop();
  rmSync(held.dataDir, { recursive: true, force: true });
}
