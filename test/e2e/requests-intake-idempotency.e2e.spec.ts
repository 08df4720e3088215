// A retried intake submission (docs/idempotency.md, "Intake"): with the same Idempotency-Key and
// body through the same link it gets the first answer back — one request, the same status link —
// never to another body or another link; the status token is kept only sealed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { createIntakeLink, type RequestBody } from '../support/requests.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('intake submissions with an Idempotency-Key', () => {
  let t: TestApp;
  let circleId: string;
  let organizer: TestUser;
  const ask: RequestBody = { kind: 'grant', category: 'rent', amount: 60_000, alias: 'R.', contact: 'r@example.org', payoutHandle: '$r', note: 'behind on rent' };
  const submit = (token: string, body: RequestBody, key?: string) => {
    const req = t.http().post(`/v1/intake/${token}/requests`);
    return key === undefined ? req.send(body) : req.set('Idempotency-Key', key).send(body);
  };
  const requestsOf = async (linkId: string) => (await t.sql.query('SELECT count(*)::int AS n FROM requests WHERE intake_link_id = $1', [linkId])).rows[0].n as number;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a retry with the same key gets the first answer: one request, the same status link', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    const key = randomUUID();
    const first = await submit(link.token, ask, key).expect(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const again = await submit(link.token, ask, key).expect(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await requestsOf(link.id)).toBe(1);
    // The replayed link is the live one.
    const view = await t.http().get(`/v1/person-links/${again.body.statusToken}`).expect(200);
    expect(view.body.request).toMatchObject({ status: 'submitted', amountAsked: 60_000 });
    // Stored for the replay only sealed: neither the token nor the path holding it is in the row.
    const { rows } = await t.sql.query('SELECT response_body FROM idempotency_keys WHERE principal_id = $1 AND key = $2', [link.id, key]);
    expect(rows).toHaveLength(1);
    expect(rows[0].response_body).not.toContain(first.body.statusToken);
    expect(rows[0].response_body).not.toContain('r@example.org');
  });

  it('the same key with a different body is refused and stores nothing', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    const key = randomUUID();
    const first = await submit(link.token, ask, key).expect(201);
    const other = await submit(link.token, { ...ask, payoutHandle: '$someone-else' }, key).expect(422);
    expect(other.body).toMatchObject({ type: 'urn:arvut:problem:idempotency-key-reused', status: 422 });
    expect(JSON.stringify(other.body)).not.toContain(first.body.statusToken);
    expect(await requestsOf(link.id)).toBe(1);
  });

  it('keys are scoped to the link: the same key and body through another link is a new request', async () => {
    const a = await createIntakeLink(t, circleId, organizer);
    const b = await createIntakeLink(t, circleId, organizer);
    const key = randomUUID();
    const viaA = await submit(a.token, ask, key).expect(201);
    const viaB = await submit(b.token, ask, key).expect(201);
    expect(viaB.headers['idempotency-replayed']).toBeUndefined();
    expect(viaB.body.statusToken).not.toBe(viaA.body.statusToken);
    expect([await requestsOf(a.id), await requestsOf(b.id)]).toEqual([1, 1]);
  });

  it('without a key every submission is a new request, as before; a malformed key is a 400', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    const one = await submit(link.token, ask).expect(201);
    const two = await submit(link.token, ask).expect(201);
    expect(two.body.statusToken).not.toBe(one.body.statusToken);
    expect(await requestsOf(link.id)).toBe(2);
    const bad = await submit(link.token, ask, 'naïve').expect(400);
    expect(bad.body.type).toBe('urn:arvut:problem:validation-failed');
    expect(await requestsOf(link.id)).toBe(2);
  });

  it('a failed first attempt stores no answer: the retry runs again', async () => {
    const link = await createIntakeLink(t, circleId, organizer, { maxOpenRequests: 1 });
    await submit(link.token, ask).expect(201);
    const key = randomUUID();
    const full = await submit(link.token, ask, key).expect(409);
    expect(full.body.type).toBe('urn:arvut:problem:intake-link-full');
    expect((await t.sql.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE principal_id = $1', [link.id])).rows[0].n).toBe(0);
  });
});
