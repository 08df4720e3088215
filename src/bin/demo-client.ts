// The demo's connection to the API: the typed client (src/client/), one per account, over a
// fetch that waits out 429s (Retry-After) and retries what is safe to retry.
import { createArvutClient, ok, type ArvutClient } from '../client/arvut-client.js';

export interface DemoAccount {
  email: string;
  userId: string;
  /** Signed in as this account; refreshes its session on a 401. */
  api: ArvutClient;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ATTEMPTS = 6;

/**
 * fetch with the demo's patience: a 429 is waited out for its Retry-After; a request that
 * never reached the server, or a 5xx on one that is safe to repeat (a GET, or a call with an
 * Idempotency-Key, which the client adds to money calls), is tried again a few times, as is
 * a 409 idempotency-key-in-flight. `onWait` hears of each wait.
 */
export function patientFetch(onWait: (seconds: number, why: string) => void = () => undefined): typeof fetch {
  return async (input, init) => {
    const original = input instanceof Request ? input : new Request(input, init);
    const retryable = original.method === 'GET' || original.headers.has('idempotency-key');
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(original.clone());
      } catch (error) {
        if (attempt < ATTEMPTS) {
          await sleep(250 * attempt);
          continue;
        }
        throw new Error(`cannot reach ${new URL(original.url).origin} (${(error as Error).message})`, { cause: error });
      }
      if (res.status === 429) {
        const seconds = Math.max(1, Number(res.headers.get('retry-after')) || 5);
        onWait(seconds, 'rate limited');
        await sleep(seconds * 1000);
        continue;
      }
      const inFlight = res.status === 409 && ((await res.clone().json().catch(() => ({}))) as { type?: string }).type === 'urn:arvut:problem:idempotency-key-in-flight';
      if ((inFlight || (res.status >= 500 && retryable)) && attempt < ATTEMPTS) {
        await sleep(250 * attempt);
        continue;
      }
      return res;
    }
  };
}

/** Signs up and logs in (both rate-limited per address: a 429 is waited out); returns the account with its own client. */
export async function signUp(baseUrl: string, fetcher: typeof fetch, email: string, password: string): Promise<DemoAccount> {
  const api = createArvutClient({ baseUrl, fetch: fetcher });
  const user = await ok(api.POST('/v1/auth/register', { body: { email, password } }));
  const tokens = await ok(api.POST('/v1/auth/login', { body: { email, password } }));
  api.setAuth({ kind: 'bearer', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  return { email, userId: user.id, api };
}
