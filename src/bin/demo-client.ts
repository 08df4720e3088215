// The demo's HTTP client: plain fetch against the public API, as any front-end would use
// it. Waits out 429s (Retry-After), retries what is safe to retry, refreshes access tokens.
import { randomUUID } from 'node:crypto';

export interface DemoAccount {
  email: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token should be refreshed (a minute before it expires). */
  refreshAt: number;
}

export interface DemoRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  /** What the call does, for error messages: paths can hold secrets (invite tokens). */
  what: string;
  as?: DemoAccount;
  body?: unknown;
  /** Money-moving POSTs carry one (docs/design.md "Idempotency"): retries reuse it. */
  idempotent?: boolean;
  headers?: Record<string, string>;
  /** Accepted statuses; anything else throws. Default: 200 and 201. */
  expect?: number[];
}

export interface DemoResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the demo reads whatever JSON the API answers
  body: any;
  headers: Headers;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ATTEMPTS = 6;

export class DemoClient {
  constructor(
    readonly baseUrl: string,
    /** Told when the client waits, e.g. for a rate limit to pass. */
    private readonly onWait: (seconds: number, why: string) => void = () => undefined,
  ) {}

  async call(req: DemoRequest): Promise<DemoResponse> {
    const key = req.idempotent ? randomUUID() : undefined;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
      if (req.as) headers.Authorization = `Bearer ${await this.token(req.as)}`;
      if (key) headers['Idempotency-Key'] = key;
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';
      // A request that never reached the server, or a 5xx on a request that is safe to repeat
      // (a GET, or a POST with its Idempotency-Key), is tried again; anything else fails.
      const retryable = req.method === 'GET' || key !== undefined;
      let res: Response;
      try {
        res = await fetch(new URL(req.path, this.baseUrl), { method: req.method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body) });
      } catch (error) {
        if (attempt < ATTEMPTS) {
          await sleep(250 * attempt);
          continue;
        }
        throw new Error(`${req.what}: cannot reach ${this.baseUrl} (${(error as Error).message})`, { cause: error });
      }
      const text = await res.text();
      const body = text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
      if (res.status === 429) {
        const seconds = Math.max(1, Number(res.headers.get('retry-after')) || 5);
        this.onWait(seconds, `${req.what}: rate limited`);
        await sleep(seconds * 1000);
        continue;
      }
      const inFlight = res.status === 409 && body?.type === 'urn:arvut:problem:idempotency-key-in-flight';
      if ((inFlight || (res.status >= 500 && retryable)) && attempt < ATTEMPTS) {
        await sleep(250 * attempt);
        continue;
      }
      if (!(req.expect ?? [200, 201]).includes(res.status)) {
        // Problem details never carry personal data (docs/errors.md): safe to show.
        const problem = typeof body === 'object' && body ? `${body.type ?? ''} ${body.detail ?? ''}`.trim() : '';
        throw new Error(`${req.what}: HTTP ${res.status}${problem ? ` (${problem})` : ''}`);
      }
      return { status: res.status, body, headers: res.headers };
    }
  }

  /** Signs up and logs in. Both are rate-limited per address: a 429 is waited out. */
  async signUp(email: string, password: string): Promise<DemoAccount> {
    const user = await this.call({ method: 'POST', path: '/v1/auth/register', what: 'sign up', body: { email, password }, expect: [201] });
    const tokens = await this.call({ method: 'POST', path: '/v1/auth/login', what: 'log in', body: { email, password }, expect: [200] });
    return { email, userId: user.body.id, ...this.tokensOf(tokens.body) };
  }

  private tokensOf(body: { accessToken: string; refreshToken: string; expiresIn: number }): Pick<DemoAccount, 'accessToken' | 'refreshToken' | 'refreshAt'> {
    return { accessToken: body.accessToken, refreshToken: body.refreshToken, refreshAt: Date.now() + Math.max(10, body.expiresIn - 60) * 1000 };
  }

  /** The account's access token, refreshed first when it is about to expire (a long run outlives one). */
  private async token(account: DemoAccount): Promise<string> {
    if (Date.now() >= account.refreshAt) {
      const res = await this.call({ method: 'POST', path: '/v1/auth/refresh', what: 'refresh the session', body: { refreshToken: account.refreshToken }, expect: [200] });
      Object.assign(account, this.tokensOf(res.body));
    }
    return account.accessToken;
  }
}
