import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { bearer } from './auth.js';
import type { TestUser } from './circles.js';
import type { TestApp } from './test-app.js';

const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });

export interface RequestBody {
  kind: 'grant' | 'roster';
  category?: string;
  amount?: number;
  alias: string;
  contact?: string;
  payoutHandle?: string;
  note?: string;
}

/** POST …/requests as a member or organizer, with a fresh Idempotency-Key. */
export function openRequest(t: TestApp, circleId: string, user: TestUser, body: RequestBody): Test {
  return t.http().post(`/v1/circles/${circleId}/requests`).set(as(user)).set('Idempotency-Key', randomUUID()).send(body);
}

/** POST …/requests/{id}/{action} (review, decline, cancel) without a key; approve, send and return get a fresh one. */
export function requestAction(t: TestApp, circleId: string, user: TestUser, requestId: string, action: string, body: object = {}): Test {
  const req = t.http().post(`/v1/circles/${circleId}/requests/${requestId}/${action}`).set(as(user));
  if (['approve', 'send', 'return'].includes(action)) req.set('Idempotency-Key', randomUUID());
  return req.send(body);
}

export function putRequestSettings(t: TestApp, circleId: string, organizer: TestUser, body: { grantBudgetMonthly: number | null; twoPersonThreshold: number | null; attachmentsEnabled: boolean }): Test {
  return t.http().put(`/v1/circles/${circleId}/request-settings`).set(as(organizer)).send(body);
}

/** Creates an intake link and returns its token and id. */
export async function createIntakeLink(t: TestApp, circleId: string, organizer: TestUser, body: { maxOpenRequests?: number } = {}): Promise<{ id: string; token: string; path: string }> {
  const res = await t.http().post(`/v1/circles/${circleId}/intake-links`).set(as(organizer)).send(body);
  if (res.status !== 201) throw new Error(`create intake link failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function submitIntake(t: TestApp, token: string, body: RequestBody): Test {
  return t.http().post(`/v1/intake/${token}/requests`).send(body);
}

/** The request id behind a status link, found through the organizer's list (the link itself shows no id). */
export async function newestRequestId(t: TestApp, circleId: string, organizer: TestUser): Promise<string> {
  const res = await t.http().get(`/v1/circles/${circleId}/requests?limit=1`).set(as(organizer));
  if (res.status !== 200) throw new Error(`list requests failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items[0].id;
}
