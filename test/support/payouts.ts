import { randomUUID } from 'node:crypto';
import type { Response, Test } from 'supertest';
import type { TestUser } from './circles.js';
import { createRecipient } from './roster.js';
import type { TestApp } from './test-app.js';
import { authHeader } from './problems.js';

export interface CycleBody {
  startsOn: string;
  weeks: number;
  amount: number;
  slots: number;
  payoutWeekday: number;
}


function ok(res: Response, status: number | number[], what: string): Response {
  const expected = Array.isArray(status) ? status : [status];
  if (!expected.includes(res.status)) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Drafts a cycle as `organizer` and returns its body. */
export async function createCycle(t: TestApp, circleId: string, organizer: TestUser, body: Partial<CycleBody> = {}): Promise<{ id: string; [k: string]: unknown }> {
  const res = await t
    .http()
    .post(`/v1/circles/${circleId}/cycles`)
    .set(authHeader(organizer))
    .send({ startsOn: '2026-03-02', weeks: 15, amount: 17500, slots: 11, payoutWeekday: 5, ...body });
  return ok(res, 201, 'create cycle').body;
}

export async function activateCycle(t: TestApp, circleId: string, organizer: TestUser, cycleId: string): Promise<Record<string, unknown>> {
  return ok(await t.http().post(`/v1/circles/${circleId}/cycles/${cycleId}/activate`).set(authHeader(organizer)), 200, 'activate cycle').body;
}

/** Adds `n` recipients to the waitlist, in order, and returns their ids. */
export async function addRecipients(t: TestApp, circleId: string, organizer: TestUser, n: number, prefix = 'R'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) ids.push((await createRecipient(t, circleId, organizer, { alias: `${prefix}${i}` })).id);
  return ids;
}

export function generateWeek(t: TestApp, circleId: string, organizer: TestUser, cycleId: string, week: number | string): Test {
  return t.http().post(`/v1/circles/${circleId}/cycles/${cycleId}/weeks/${week}/payouts`).set(authHeader(organizer));
}

export function payoutAction(t: TestApp, circleId: string, user: TestUser, payoutId: string, action: 'approve' | 'cancel'): Test {
  return t.http().post(`/v1/circles/${circleId}/payouts/${payoutId}/${action}`).set(authHeader(user));
}

/** POST …/send with a fresh Idempotency-Key unless one is given. */
export function sendPayout(t: TestApp, circleId: string, user: TestUser, payoutId: string, body: object = { method: 'cashapp' }, key: string = randomUUID()): Test {
  return t.http().post(`/v1/circles/${circleId}/payouts/${payoutId}/send`).set(authHeader(user)).set('Idempotency-Key', key).send(body);
}

/** POST …/acknowledgement-link: a fresh one-time link for a sent payout (no Idempotency-Key: each call is a new link). */
export function issueAcknowledgementLink(t: TestApp, circleId: string, user: TestUser, payoutId: string): Test {
  return t.http().post(`/v1/circles/${circleId}/payouts/${payoutId}/acknowledgement-link`).set(authHeader(user));
}

/** Issues a link as `user` and returns its token. */
export async function acknowledgementToken(t: TestApp, circleId: string, user: TestUser, payoutId: string): Promise<string> {
  return ok(await issueAcknowledgementLink(t, circleId, user, payoutId), 201, 'issue acknowledgement link').body.token;
}

export function returnPayout(t: TestApp, circleId: string, user: TestUser, payoutId: string, key: string = randomUUID()): Test {
  return t.http().post(`/v1/circles/${circleId}/payouts/${payoutId}/return`).set(authHeader(user)).set('Idempotency-Key', key);
}

export interface ListedPayout {
  id: string;
  recipientId: string;
  recipientAlias: string;
  week: number;
  status: string;
  amount: number;
}

/** Every payout matching `query`, across pages. */
export async function allPayouts(t: TestApp, circleId: string, user: TestUser, query: Record<string, string | number> = {}): Promise<ListedPayout[]> {
  const items: ListedPayout[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await t
      .http()
      .get(`/v1/circles/${circleId}/payouts`)
      .query({ ...query, limit: 100, ...(cursor ? { cursor } : {}) })
      .set(authHeader(user));
    ok(res, 200, 'list payouts');
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}
