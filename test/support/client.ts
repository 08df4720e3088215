import { createArvutClient, type ArvutClient } from '../../src/client/arvut-client.js';
import type { TestUser } from './circles.js';
import type { TestApp } from './test-app.js';

/**
 * The typed client (src/client/arvut-client.ts) signed in as `user`, talking to the test app
 * through supertest: the same requests an integrator's client sends, with no listening port.
 */
export function clientFor(t: TestApp, user: TestUser): ArvutClient {
  const injected = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const method = request.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let call = t.http()[method](url.pathname + url.search).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    request.headers.forEach((value, name) => {
      call = call.set(name, value);
    });
    const body = request.body ? await request.text() : undefined;
    const res = body ? await call.send(body) : await call;
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers as Record<string, string | string[] | undefined>)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const empty = res.status === 204 || res.status === 304;
    return new Response(empty ? null : (res.body as Buffer), { status: res.status, headers });
  };
  return createArvutClient({ baseUrl: 'http://arvut.test', auth: { kind: 'bearer', accessToken: user.accessToken }, fetch: injected as typeof fetch });
}
