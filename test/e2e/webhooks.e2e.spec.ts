// Webhooks (docs/webhooks.md): endpoints, Standard Webhooks signatures, in-order
// at-least-once delivery with back-off, rotation, the delivery log, redelivery, ping and
// the address rules. Time is driven by calling the dispatcher with a `now` of the test's
// choosing; the reference-story test runs the real pg-boss workers instead.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { EVENT_TYPES } from '../../src/events/event-map.js';
import { RETRY_SCHEDULE_SECONDS, WebhookDispatcher } from '../../src/integrations/webhooks/webhook-dispatcher.service.js';
import { bearer, registerAndLogin } from '../support/auth.js';
import { REPO_ROOT, run } from '../support/build.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { acknowledgementToken, activateCycle, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { postContribution, postPledge, today } from '../support/pledges.js';
import { createRecipient, transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ok } from '../../src/client/arvut-client.js';
import { clientFor } from '../support/client.js';
import { createEndpoint, WebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';

const ALL = [...EVENT_TYPES];
const HOUR = 3_600_000;

const verify = (secret: string, hook: ReceivedWebhook): unknown =>
  new Webhook(secret).verify(hook.body, { 'webhook-id': String(hook.headers['webhook-id']), 'webhook-timestamp': String(hook.headers['webhook-timestamp']), 'webhook-signature': String(hook.headers['webhook-signature']) });

describe('webhooks through pg-boss: a week of the reference story', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const markers: string[] = [];
  const marker = (field: string): string => {
    const m = `MRK${field}${randomBytes(6).toString('hex')}`;
    markers.push(m);
    return m;
  };

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', JOBS_ENABLED: 'true' });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('delivers every event once, in order, signed, with no vault data', async () => {
    const organizer = await registerAndLogin(t);
    const circleId = await createCircle(t, organizer);
    const endpoint = await createEndpoint(t, circleId, organizer, { url: receiver.url(), eventTypes: ALL, description: 'story' });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const treasurer = await addMember(t, circleId, organizer, 'treasurer');
    const donor = await addMember(t, circleId, organizer, 'donor');
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 100_000, memo: 'float' }).then((r) => expect(r.status).toBe(201));
    const recipients: string[] = [];
    for (let i = 0; i < 3; i++) {
      recipients.push((await createRecipient(t, circleId, organizer, { alias: `Neighbour ${i}`, contact: marker('contact'), payoutHandle: `$${marker('handle')}`, note: marker('note') })).id);
    }
    const cycle = await createCycle(t, circleId, organizer, { slots: 2, weeks: 4, amount: 17_500, startsOn: today() });
    await activateCycle(t, circleId, organizer, cycle.id);
    const week = await generateWeek(t, circleId, organizer, cycle.id, 1).expect(201);
    for (const p of week.body.payouts) {
      await payoutAction(t, circleId, organizer, p.id, 'approve').expect(200);
      await sendPayout(t, circleId, treasurer, p.id, { method: 'cashapp' }).expect(200);
    }
    const token = await acknowledgementToken(t, circleId, treasurer, week.body.payouts[0].id);
    await t.http().post(`/v1/payout-acknowledgements/${token}`).expect((r) => expect(r.status).toBeLessThan(300));
    const pledge = await postPledge(t, donor, circleId, { amount: 2_000, method: 'manual' });
    expect(pledge.status).toBe(201);
    expect((await postContribution(t, treasurer, circleId, { pledgeId: pledge.body.id, amount: 2_000, method: 'cash', receivedOn: today() })).status).toBe(201);
    await transition(t, circleId, organizer, recipients[0], 'exit', { reason: 'employed' }).expect(200);
    await t.http().post(`/v1/circles/${circleId}/receipts/checkpoints`).set('Authorization', bearer(organizer.accessToken)).expect(201);

    const outbox = (await t.sql.query('SELECT id, type, sequence::int AS sequence FROM outbox_events WHERE circle_id = $1 AND sequence > $2 ORDER BY outbox_events.sequence', [circleId, endpoint.deliveredThrough])).rows;
    const types = new Set(outbox.map((e: { type: string }) => e.type));
    for (const type of ['member.joined', 'recipient.waitlisted', 'recipient.active', 'recipient.exited', 'payout.scheduled', 'payout.approved', 'payout.sent', 'payout.acknowledged', 'pledge.created', 'contribution.received', 'receipt.published', 'checkpoint.signed']) {
      expect(types).toContain(type);
    }
    await receiver.waitFor(outbox.length);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // anything extra would arrive now
    const got = receiver.events();
    expect(got.map((e) => e.id)).toEqual(outbox.map((e: { id: string }) => e.id));
    expect(got.map((e) => e.sequence)).toEqual(outbox.map((e: { sequence: number }) => e.sequence));
    for (const hook of receiver.received) {
      expect(hook.headers['webhook-id']).toBe(JSON.parse(hook.body).id);
      expect(verify(endpoint.secret, hook)).toEqual(JSON.parse(hook.body));
    }
    // Invariant 9: nothing from the vault in any delivered payload, nor in the outbox.
    const everything = receiver.received.map((h) => h.body).join('\n') + JSON.stringify((await t.sql.query('SELECT data FROM outbox_events')).rows);
    for (const m of markers) expect(everything).not.toContain(m);
    for (let i = 0; i < 3; i++) expect(everything).not.toContain(`Neighbour ${i}`);
  });
});

describe('webhooks with time driven by the test', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let organizer: TestUser;
  let circleId: string;
  let dispatcher: WebhookDispatcher;
  const as = () => ({ Authorization: bearer(organizer.accessToken) });
  const path = (id = '') => `/v1/circles/${circleId}/webhooks${id ? `/${id}` : ''}`;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    dispatcher = t.app.get(WebhookDispatcher);
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
  });
  afterEach(() => {
    receiver.received.length = 0;
    receiver.refused.length = 0;
    receiver.answer = { status: 200, body: 'ok' };
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('keeps an event back while the receiver is down, then delivers everything in order once it is back', async () => {
    const endpoint = await createEndpoint(t, circleId, organizer, { url: receiver.url(), eventTypes: ['member.joined', 'member.role_changed'] });
    receiver.answer = { status: 503, body: 'down' };
    const members: TestUser[] = [];
    for (let i = 0; i < 3; i++) members.push(await addMember(t, circleId, organizer, 'member'));
    const start = new Date();
    expect(await dispatcher.deliverDue(endpoint.id, start)).toBe(0);
    expect(receiver.refused).toHaveLength(1);
    // Not due again before the first back-off step has passed.
    expect(await dispatcher.dueEndpoints(start)).not.toContain(endpoint.id);
    expect(await dispatcher.deliverDue(endpoint.id, start)).toBe(0);
    expect(receiver.refused).toHaveLength(1);
    const later = new Date(start.getTime() + RETRY_SCHEDULE_SECONDS[0] * 1000);
    expect(await dispatcher.dueEndpoints(later)).toContain(endpoint.id);
    expect(await dispatcher.deliverDue(endpoint.id, later)).toBe(0);
    expect(receiver.refused).toHaveLength(2);
    const state = await t.http().get(path(endpoint.id)).set(as()).expect(200);
    expect(state.body).toMatchObject({ enabled: true, failingSince: start.toISOString(), nextAttemptAt: new Date(later.getTime() + RETRY_SCHEDULE_SECONDS[1] * 1000).toISOString() });

    receiver.answer = { status: 200, body: 'ok' };
    expect(await dispatcher.deliverDue(endpoint.id, new Date(start.getTime() + HOUR))).toBe(3);
    expect(receiver.events().map((e) => e.data.userId)).toEqual(members.map((m) => m.userId));
    const seq = receiver.events().map((e) => e.sequence);
    expect([...seq].sort((a, b) => a - b)).toEqual(seq);
    const after = await t.http().get(path(endpoint.id)).set(as()).expect(200);
    expect(after.body).toMatchObject({ failingSince: null, nextAttemptAt: null, deliveredThrough: seq[2] });

    const log = await t.http().get(`${path(endpoint.id)}/deliveries`).set(as()).expect(200);
    expect(log.body.items.map((d: { status: string; attempt: number }) => [d.status, d.attempt])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 3],
      ['failed', 2],
      ['failed', 1],
    ]);
    expect(log.body.items[4]).toMatchObject({ kind: 'event', eventType: 'member.joined', responseStatus: 503, responseBody: 'down', error: null, durationMs: expect.any(Number) });
    await t.http().delete(path(endpoint.id)).set(as()).expect(204);
  });

  it('disables an endpoint failing through the whole schedule (about three days) and tells the organizers', async () => {
    const endpoint = await createEndpoint(t, circleId, organizer, { url: receiver.url(), eventTypes: ['member.joined'] });
    receiver.answer = { status: 500 };
    await addMember(t, circleId, organizer, 'member');
    let now = new Date();
    const start = now;
    for (let i = 0; i <= RETRY_SCHEDULE_SECONDS.length; i++) {
      await dispatcher.deliverDue(endpoint.id, now);
      now = new Date(now.getTime() + (RETRY_SCHEDULE_SECONDS[i] ?? 0) * 1000);
    }
    expect(receiver.refused).toHaveLength(RETRY_SCHEDULE_SECONDS.length + 1);
    expect(now.getTime() - start.getTime()).toBeGreaterThan(72 * HOUR);
    const state = await t.http().get(path(endpoint.id)).set(as()).expect(200);
    expect(state.body).toMatchObject({ enabled: false, disabledReason: 'failing' });
    expect(await dispatcher.dueEndpoints(new Date(now.getTime() + 30 * 24 * HOUR))).not.toContain(endpoint.id);
    const feed = await t.http().get(`/v1/circles/${circleId}/events?limit=100`).set(as()).expect(200);
    expect(feed.body.items.filter((e: { type: string }) => e.type === 'webhook.endpoint_disabled').map((e: { data: unknown }) => e.data)).toContainEqual(
      expect.objectContaining({ endpointId: endpoint.id, failingSince: start.toISOString() }),
    );

    // Switched on again, it resumes with the event it stopped at.
    receiver.answer = { status: 200 };
    await t.http().patch(path(endpoint.id)).set(as()).send({ enabled: true }).expect(200);
    expect(await dispatcher.deliverDue(endpoint.id)).toBe(1);
    await t.http().delete(path(endpoint.id)).set(as()).expect(204);
  });

  it('signs with both secrets during the 24 h overlap after a rotation, and with the new one only afterwards', async () => {
    const endpoint = await createEndpoint(t, circleId, organizer, { url: receiver.url(), eventTypes: ['member.joined'] });
    const api = clientFor(t, organizer);
    const rotated = { body: await ok(api.POST('/v1/circles/{circleId}/webhooks/{endpointId}/rotate-secret', { params: { path: { circleId, endpointId: endpoint.id } } })) };
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.previousSecretValidUntil!) - Date.now()).toBeGreaterThan(23.9 * HOUR);
    await addMember(t, circleId, organizer, 'member');
    await dispatcher.deliverDue(endpoint.id);
    const [hook] = receiver.received;
    expect(verify(endpoint.secret, hook)).toBeTruthy();
    expect(verify(rotated.body.secret, hook)).toBeTruthy();
    expect(() => verify(`whsec_${randomBytes(24).toString('base64')}`, hook)).toThrow();

    await t.sql.query(`UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second' WHERE id = $1`, [endpoint.id]);
    await addMember(t, circleId, organizer, 'member');
    await dispatcher.deliverDue(endpoint.id);
    const second = receiver.received[1];
    expect(verify(rotated.body.secret, second)).toBeTruthy();
    expect(() => verify(endpoint.secret, second)).toThrow();
    await t.http().delete(path(endpoint.id)).set(as()).expect(204);
  });

  it('redelivers one event with its own id, pings, logs each, follows no redirect and keeps only the start of a response', async () => {
    const endpoint = await createEndpoint(t, circleId, organizer, { url: receiver.url(), eventTypes: ['member.joined'] });
    await addMember(t, circleId, organizer, 'member');
    await dispatcher.deliverDue(endpoint.id);
    const first = receiver.events()[0];
    const api = clientFor(t, organizer);
    const again = { body: await ok(api.POST('/v1/circles/{circleId}/webhooks/{endpointId}/redeliver', { params: { path: { circleId, endpointId: endpoint.id } }, body: { eventId: first.id } })) };
    expect(again.body).toMatchObject({ kind: 'redelivery', status: 'delivered', eventId: first.id, sequence: first.sequence });
    expect(receiver.events()[1]).toEqual(first);
    expect(receiver.received[1].headers['webhook-id']).toBe(first.id);

    receiver.answer = { status: 200, body: 'x'.repeat(5000) };
    const ping = { body: await ok(api.POST('/v1/circles/{circleId}/webhooks/{endpointId}/ping', { params: { path: { circleId, endpointId: endpoint.id } } })) };
    expect(ping.body).toMatchObject({ kind: 'ping', eventType: 'webhook.ping', status: 'delivered', sequence: null });
    expect(ping.body.responseBody).toHaveLength(1024);
    expect(verify(endpoint.secret, receiver.received[2])).toMatchObject({ type: 'webhook.ping', circleId, data: { endpointId: endpoint.id } });

    receiver.answer = { status: 302, headers: { location: receiver.url('/elsewhere') } };
    const redirected = await t.http().post(`${path(endpoint.id)}/ping`).set(as()).expect(200);
    expect(redirected.body).toMatchObject({ status: 'failed', responseStatus: 302, error: 'redirects are not followed' });
    expect(receiver.refused.map((h) => h.body && JSON.parse(h.body).type)).toEqual(['webhook.ping']);

    await t.http().post(`${path(endpoint.id)}/redeliver`).set(as()).send({ eventId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    await t.http().post(`${path(endpoint.id)}/redeliver`).set(as()).send({ eventId: 'nope' }).expect(400);
    await t.http().delete(path(endpoint.id)).set(as()).expect(204);
  });

  it('is for organizers only, and checks what it is given', async () => {
    const treasurer = await addMember(t, circleId, organizer, 'treasurer');
    await t.http().get(path()).set('Authorization', bearer(treasurer.accessToken)).expect(403);
    await t.http().post(path()).set('Authorization', bearer(treasurer.accessToken)).send({ url: receiver.url(), eventTypes: ['member.joined'] }).expect(403);
    for (const body of [{ url: receiver.url(), eventTypes: [] }, { url: receiver.url(), eventTypes: ['payout.lost'] }, { url: 'not a url', eventTypes: ['member.joined'] }, { url: receiver.url(), eventTypes: ['member.joined', 'member.joined'] }, { url: 'ftp://example.org/x', eventTypes: ['member.joined'] }]) {
      const res = await t.http().post(path()).set(as()).send(body).expect(400);
      expect(res.body.type).toBe('urn:arvut:problem:validation-failed');
    }
    const listed = await createEndpoint(t, circleId, organizer, { url: receiver.url(), eventTypes: ['member.joined'] });
    const list = await t.http().get(path()).set(as()).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(listed.id);
    // The secret is shown once: never in a read.
    expect(JSON.stringify(list.body)).not.toContain(listed.secret);
    expect(JSON.stringify((await t.http().get(path(listed.id)).set(as()).expect(200)).body)).not.toContain(listed.secret);
    const stored = (await t.sql.query('SELECT secret FROM webhook_endpoints WHERE id = $1', [listed.id])).rows[0].secret as Buffer;
    expect(stored.toString('latin1')).not.toContain(listed.secret.slice(6));
    await t.http().delete(path(listed.id)).set(as()).expect(204);
    await t.http().delete(path(listed.id)).set(as()).expect(404);
  });

  it('runs the verification snippet of docs/webhooks.md against a real delivery', async () => {
    const endpoint = await createEndpoint(t, circleId, organizer, { url: receiver.url(), eventTypes: ['member.joined'] });
    await addMember(t, circleId, organizer, 'member');
    await dispatcher.deliverDue(endpoint.id);
    const [hook] = receiver.received;
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'webhooks.md'), 'utf8');
    const snippet = /```js\n(\/\/ verify-webhook\.mjs[\s\S]*?)```/.exec(doc)?.[1];
    expect(snippet).toBeDefined();
    const driver = `${snippet}\nconst { secret, headers, body } = JSON.parse(process.env.HOOK);\ntry { console.log(JSON.stringify({ ok: true, event: verifyArvutWebhook(secret, headers, body) })); } catch { console.log(JSON.stringify({ ok: false })); }\n`;
    const check = async (secret: string, body: string) => {
      const res = await run(process.execPath, ['--input-type=module', '-e', driver], { env: { ...process.env, HOOK: JSON.stringify({ secret, headers: hook.headers, body }) }, timeoutMs: 20_000 });
      return JSON.parse(res.output.trim().split('\n').pop()!);
    };
    expect(await check(endpoint.secret, hook.body)).toEqual({ ok: true, event: JSON.parse(hook.body) });
    expect(await check(endpoint.secret, hook.body.replace('member.joined', 'member.left'))).toEqual({ ok: false });
    await t.http().delete(path(endpoint.id)).set(as()).expect(204);
  });
});

describe('webhook addresses without WEBHOOK_ALLOW_PRIVATE', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('refuses plain http and private literal addresses, and a name that resolves to one at delivery time', async () => {
    const organizer = await registerAndLogin(t);
    const circleId = await createCircle(t, organizer);
    const as = { Authorization: bearer(organizer.accessToken) };
    for (const url of [receiver.url(), `https://127.0.0.1:${receiver.port}/hook`, 'https://10.0.0.8/hook', 'https://169.254.169.254/latest', 'https://[::1]/hook', 'https://[::ffff:127.0.0.1]/hook']) {
      const res = await t.http().post(`/v1/circles/${circleId}/webhooks`).set(as).send({ url, eventTypes: ['member.joined'] }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
    }
    // A name passes when saved; what it resolves to is checked at each delivery, before connecting.
    const endpoint = await createEndpoint(t, circleId, organizer, { url: `https://localhost:${receiver.port}/hook`, eventTypes: ['member.joined'] });
    const ping = await t.http().post(`/v1/circles/${circleId}/webhooks/${endpoint.id}/ping`).set(as).expect(200);
    expect(ping.body).toMatchObject({ status: 'failed', responseStatus: null, error: 'the host resolves to an address that is not public' });
    await addMember(t, circleId, organizer, 'member');
    expect(await t.app.get(WebhookDispatcher).deliverDue(endpoint.id)).toBe(0);
    expect(receiver.received.length + receiver.refused.length).toBe(0);
  });
});
