// The generated client (src/client/), against the real app listening on loopback, the way
// an integrator uses it: typed calls, token refresh, API keys, Idempotency-Keys, problems as
// errors, cursor pages, and a webhook endpoint whose delivery verifies.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { ArvutProblemError, createArvutClient, items, ok, type ArvutClient, type Tokens } from '../../src/client/arvut-client.js';
import { WebhookDispatcher } from '../../src/integrations/webhooks/webhook-dispatcher.service.js';
import { TEST_PASSWORD, uniqueEmail } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('the typed client', () => {
  let t: TestApp;
  let baseUrl: string;
  let receiver: WebhookReceiver;
  let api: ArvutClient;
  let tokens: Tokens;
  let circleId: string;

  const signUp = async (client: ArvutClient): Promise<Tokens> => {
    const email = uniqueEmail('client');
    await ok(client.POST('/v1/auth/register', { body: { email, password: TEST_PASSWORD } }));
    return ok(client.POST('/v1/auth/login', { body: { email, password: TEST_PASSWORD } }));
  };

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    api = createArvutClient({ baseUrl });
    tokens = await signUp(api);
    api.setAuth({ kind: 'bearer', ...tokens });
    circleId = (await ok(api.POST('/v1/circles', { body: { name: 'Client circle', currency: 'USD', timezone: 'Europe/Berlin' } }))).id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('adds an Idempotency-Key to money calls, and keeps one the caller gives', async () => {
    const posted = await ok(api.POST('/v1/circles/{circleId}/ledger/adjustments', { params: { path: { circleId } }, body: { direction: 'in', amount: 1_500, memo: 'float' } }));
    expect(posted.id).toEqual(expect.any(String));
    const key = crypto.randomUUID();
    const call = () => api.POST('/v1/circles/{circleId}/ledger/adjustments', { params: { path: { circleId }, header: { 'Idempotency-Key': key } }, body: { direction: 'in', amount: 700 } });
    const first = await call();
    const again = await call();
    expect(again.response.headers.get('idempotency-replayed')).toBe('true');
    expect(again.data?.id).toBe(first.data?.id);
  });

  it('throws problems as typed errors', async () => {
    const missing = ok(api.GET('/v1/circles/{circleId}', { params: { path: { circleId: '00000000-0000-4000-8000-000000000000' } } }));
    await expect(missing).rejects.toBeInstanceOf(ArvutProblemError);
    await expect(missing).rejects.toMatchObject({ code: 'not-found', problem: { status: 404, type: 'urn:arvut:problem:not-found' } });
    const invalid = await ok(api.POST('/v1/circles/{circleId}/ledger/adjustments', { params: { path: { circleId } }, body: { direction: 'in', amount: 1.5 } })).catch((e: ArvutProblemError) => e);
    expect((invalid as ArvutProblemError).problem.errors?.[0]?.field).toBe('amount');
  });

  it('refreshes the session once on a 401 and repeats the call', async () => {
    const fresh = await signUp(createArvutClient({ baseUrl }));
    const heard: Tokens[] = [];
    const client = createArvutClient({ baseUrl, auth: { kind: 'bearer', accessToken: 'expired.access.token', refreshToken: fresh.refreshToken, onTokens: (t) => void heard.push(t) } });
    const me = await ok(client.GET('/v1/me'));
    expect(me.email).toMatch(/^client/);
    expect(heard).toHaveLength(1);
    expect(heard[0].refreshToken).not.toBe(fresh.refreshToken);
    // A refresh token that no longer works leaves the 401 as it was.
    const stale = createArvutClient({ baseUrl, auth: { kind: 'bearer', accessToken: 'x', refreshToken: fresh.refreshToken } });
    await expect(ok(stale.GET('/v1/me'))).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('authenticates with an API key', async () => {
    const created = await ok(api.POST('/v1/circles/{circleId}/api-keys', { params: { path: { circleId } }, body: { name: 'bot', role: 'treasurer' } }));
    const bot = createArvutClient({ baseUrl, auth: { kind: 'apiKey', key: created.key } });
    expect((await ok(bot.GET('/v1/circles/{circleId}', { params: { path: { circleId } } }))).id).toBe(circleId);
    await expect(ok(bot.GET('/v1/me'))).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('walks cursor pages with an async iterator', async () => {
    for (let i = 0; i < 3; i++) await ok(api.POST('/v1/circles/{circleId}/ledger/adjustments', { params: { path: { circleId } }, body: { direction: 'in', amount: 100 + i } }));
    const seen: string[] = [];
    for await (const transfer of items((cursor) => ok(api.GET('/v1/circles/{circleId}/ledger/transfers', { params: { path: { circleId }, query: { limit: 2, cursor } } })))) seen.push(transfer.id);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('registers a webhook endpoint whose deliveries verify with the secret it was given', async () => {
    const endpoint = await ok(api.POST('/v1/circles/{circleId}/webhooks', { params: { path: { circleId } }, body: { url: receiver.url(), eventTypes: ['receipt.published'] } }));
    await ok(api.POST('/v1/circles/{circleId}/ledger/adjustments', { params: { path: { circleId } }, body: { direction: 'in', amount: 900 } }));
    await t.app.get(WebhookDispatcher).deliverDue(endpoint.id);
    const [hook] = receiver.received;
    const event = new Webhook(endpoint.secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: { amount: number } };
    expect(event).toMatchObject({ type: 'receipt.published', data: { amount: 900 } });
    const log = await ok(api.GET('/v1/circles/{circleId}/webhooks/{endpointId}/deliveries', { params: { path: { circleId, endpointId: endpoint.id } } }));
    expect(log.items[0]).toMatchObject({ status: 'delivered', eventType: 'receipt.published' });
  });
});
