// `npm run verify-receipts -- --base-url URL --circle ID [--token T] [--key-id K]`: downloads
// a circle's receipts, checkpoints and the server's public key through the public API and
// verifies them offline (receipt-verifier.ts). Exit 0 clean, 1 when anything fails to
// verify, 2 when it cannot run (bad arguments, server unreachable, no access).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { API_KEY_PREFIX } from '../../auth/api-key-check.js';
import { ArvutProblemError, createArvutClient, items, ok, type ArvutClient } from '../../client/arvut-client.js';
import { signingKeyId } from './checkpoint-message.js';
import { seqRanges, verifyReceipts, type VerifiableCheckpoint, type VerifiableReceipt } from './receipt-verifier.js';

export interface VerifyIo {
  out(line: string): void;
  err(line: string): void;
}

interface Options {
  baseUrl: string;
  circleId: string;
  token?: string;
  keyId?: string;
}

const USAGE = 'usage: npm run verify-receipts -- --base-url URL --circle CIRCLE_ID [--token ACCESS_TOKEN] [--key-id KEY_ID]';
const PAGE = 100;
/** Longest wait honoured from a 429's Retry-After before giving up. */
const MAX_RETRY_WAIT_S = 120;

class CannotRun extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (!['--base-url', '--circle', '--token', '--key-id'].includes(name) || value === undefined) throw new CannotRun(USAGE);
    values.set(name, value);
  }
  const baseUrl = values.get('--base-url')?.replace(/\/+$/, '');
  const circleId = values.get('--circle')?.toLowerCase();
  if (!baseUrl || !/^https?:\/\//.test(baseUrl) || !circleId || !/^[0-9a-f-]{36}$/.test(circleId)) throw new CannotRun(USAGE);
  return { baseUrl, circleId, token: values.get('--token'), keyId: values.get('--key-id') };
}

/**
 * The typed client (src/client/), as any integrator would use it, over a fetch that waits out
 * a 429 (anonymous readers of a public circle are rate-limited) for up to MAX_RETRY_WAIT_S.
 * A token starting with arvk_ is a circle API key; anything else an access token.
 */
function clientFor(options: Options): ArvutClient {
  const patient: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    for (;;) {
      const res = await fetch(request.clone());
      if (res.status !== 429) return res;
      const wait = Number(res.headers.get('retry-after') ?? '1');
      if (!(wait >= 0 && wait <= MAX_RETRY_WAIT_S)) throw new CannotRun(`GET ${new URL(request.url).pathname}: rate-limited for ${wait} s`);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait) * 1000));
    }
  };
  const auth = options.token === undefined ? undefined : options.token.startsWith(API_KEY_PREFIX) ? { kind: 'apiKey' as const, key: options.token } : { kind: 'bearer' as const, accessToken: options.token };
  return createArvutClient({ baseUrl: options.baseUrl, auth, fetch: patient });
}

/** The data of a read, or CannotRun naming the read and the problem the server answered. */
async function read<R extends { data?: unknown; error?: unknown; response: Response }>(what: string, call: Promise<R>): Promise<NonNullable<R['data']>> {
  try {
    return await ok(call);
  } catch (error) {
    if (error instanceof ArvutProblemError) throw new CannotRun(`GET ${what}: ${error.problem.status} ${error.problem.detail ?? error.problem.title}`.trim());
    throw error;
  }
}

async function all<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const found: T[] = [];
  for await (const item of items(fetchPage)) found.push(item);
  return found;
}

async function serverKey(options: Options, api: ArvutClient): Promise<{ keyId: string; publicKey: KeyObject }> {
  const body = await read('/v1/transparency/public-key', api.GET('/v1/transparency/public-key'));
  const publicKey = createPublicKey(String(body.publicKeyPem));
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new CannotRun('the server\'s public key is not an Ed25519 key');
  const keyId = signingKeyId(publicKey);
  if (keyId !== body.keyId) throw new CannotRun(`the server names its key ${String(body.keyId)}, but that key's id is ${keyId}`);
  if (options.keyId && options.keyId !== keyId) throw new CannotRun(`the server's key is ${keyId}, not the expected ${options.keyId}`);
  return { keyId, publicKey };
}

/** Runs the verifier; returns the exit code. */
export async function runVerifyReceipts(argv: readonly string[], io: VerifyIo = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  try {
    const options = parseArgs(argv);
    const api = clientFor(options);
    const key = await serverKey(options, api);
    const path = { circleId: options.circleId };
    const receipts: VerifiableReceipt[] = await all((cursor) => read(`/v1/circles/${options.circleId}/receipts`, api.GET('/v1/circles/{circleId}/receipts', { params: { path, query: { limit: PAGE, cursor } } })));
    const checkpoints: VerifiableCheckpoint[] = await all((cursor) =>
      read(`/v1/circles/${options.circleId}/receipts/checkpoints`, api.GET('/v1/circles/{circleId}/receipts/checkpoints', { params: { path, query: { limit: PAGE, cursor } } })),
    );
    const report = verifyReceipts(options.circleId, receipts, checkpoints, key);
    io.out(`circle ${options.circleId}: ${report.receipts} receipts (up to seq ${report.lastSeq}), ${report.checkpoints} checkpoints, key ${key.keyId}`);
    if (report.missing.length) io.out(`FAIL missing receipts: ${seqRanges(report.missing)}`);
    for (const failure of report.failures) io.out(`FAIL ${failure.message}`);
    if (report.ok) {
      io.out('OK: the chain verifies from seq 1 to the last receipt, and every checkpoint signature verifies and matches the chain');
      return 0;
    }
    io.out(`first failing sequence number: ${report.firstFailingSeq}`);
    return 1;
  } catch (error) {
    io.err(`verify-receipts: ${error instanceof CannotRun ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return 2;
  }
}
