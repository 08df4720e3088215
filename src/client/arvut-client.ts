// A small typed client for the arvut API, on openapi-fetch with the types `npm run openapi`
// generates from openapi.yaml (api-types.ts). Works in Node 20+ and browsers (fetch, crypto).
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { IDEMPOTENT_OPERATIONS, type paths } from './api-types.js';

export type { paths } from './api-types.js';

/** An RFC 9457 problem document, as every error response of the API is (docs/errors.md). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  requestId?: string;
  [extension: string]: unknown;
}

/** Thrown by `ok()` for any answer that is not 2xx; `code` is the problem type without its prefix. */
export class ArvutProblemError extends Error {
  readonly code: string;

  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.type}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'ArvutProblemError';
    this.code = problem.type.replace(/^urn:arvut:problem:/, '');
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * How the client authenticates: a person's tokens (refreshed once on a 401 when a refresh
 * token is given; `onTokens` hears of new ones), or a circle API key.
 */
export type ArvutAuth = ({ kind: 'bearer' } & Partial<Pick<Tokens, 'refreshToken'>> & { accessToken: string; onTokens?: (tokens: Tokens) => void }) | { kind: 'apiKey'; key: string };

export interface ArvutClientOptions {
  baseUrl: string;
  auth?: ArvutAuth;
  fetch?: typeof fetch;
}

export type ArvutClient = Client<paths> & {
  /** Switches credentials, e.g. after logging in. */
  setAuth(auth: ArvutAuth | undefined): void;
};

const IDEMPOTENT = new Set(IDEMPOTENT_OPERATIONS);

export function createArvutClient(options: ArvutClientOptions): ArvutClient {
  const fetcher = options.fetch ?? globalThis.fetch;
  let auth = options.auth;
  const replays = new WeakMap<Request, Request>();

  const credential = (): string | undefined => (auth?.kind === 'apiKey' ? auth.key : auth?.accessToken);

  const middleware: Middleware = {
    onRequest({ request, schemaPath }) {
      const token = credential();
      if (token && !request.headers.has('authorization')) request.headers.set('Authorization', `Bearer ${token}`);
      // Money calls carry a key per call, so a retry of the same call is never applied twice.
      if (IDEMPOTENT.has(`${request.method} ${schemaPath}`) && !request.headers.has('idempotency-key')) request.headers.set('Idempotency-Key', globalThis.crypto.randomUUID());
      replays.set(request, request.clone());
      return request;
    },
    async onResponse({ request, response, schemaPath }) {
      if (response.status !== 401 || auth?.kind !== 'bearer' || !auth.refreshToken || schemaPath === '/v1/auth/refresh') return response;
      const current = auth;
      const refreshed = await fetcher(new URL('/v1/auth/refresh', options.baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (!refreshed.ok) return response;
      const tokens = (await refreshed.json()) as Tokens;
      auth = { ...current, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      current.onTokens?.(tokens);
      const replay = replays.get(request);
      if (!replay) return response;
      replay.headers.set('Authorization', `Bearer ${tokens.accessToken}`);
      return fetcher(replay);
    },
  };

  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: fetcher });
  client.use(middleware);
  return Object.assign(client, {
    setAuth(next: ArvutAuth | undefined) {
      auth = next;
    },
  });
}

/** The data of a 2xx answer; otherwise throws ArvutProblemError with the problem document. */
export async function ok<R extends { data?: unknown; error?: unknown; response: Response }>(call: Promise<R>): Promise<NonNullable<R['data']>> {
  const { data, error, response } = await call;
  if (response.ok) return data as NonNullable<R['data']>;
  const problem = error && typeof error === 'object' && 'type' in error ? (error as Problem) : { type: 'about:blank', title: response.statusText, status: response.status };
  throw new ArvutProblemError(problem);
}

/** Every page of a cursor list: pass a function that fetches the page after `cursor` (undefined: the first). */
export async function* pages<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Every item of a cursor list, page after page. */
export async function* items<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): AsyncGenerator<T> {
  for await (const page of pages(fetchPage)) yield* page;
}
