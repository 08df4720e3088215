import type { Test } from 'supertest';
import { bearer } from './auth.js';
import type { TestUser } from './circles.js';
import type { TestApp } from './test-app.js';

const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });

/** POST …/network: the circle starts a network. */
export function createNetwork(t: TestApp, circleId: string, organizer: TestUser): Test {
  return t.http().post(`/v1/circles/${circleId}/network`).set(as(organizer));
}

/** A fresh join code for the organizer's network. */
export async function joinCode(t: TestApp, circleId: string, organizer: TestUser, body: { expiresInHours?: number } = {}): Promise<string> {
  const res = await t.http().post(`/v1/circles/${circleId}/network/join-codes`).set(as(organizer)).send(body);
  if (res.status !== 201) throw new Error(`join code failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.code as string;
}

export function joinNetwork(t: TestApp, circleId: string, organizer: TestUser, code: string): Test {
  return t.http().post(`/v1/circles/${circleId}/network/join`).set(as(organizer)).send({ code });
}

export function leaveNetwork(t: TestApp, circleId: string, organizer: TestUser): Test {
  return t.http().delete(`/v1/circles/${circleId}/network`).set(as(organizer));
}

/** GET …/{requests|recipients}/{id}/duplicates as `user`. */
export function duplicatesOf(t: TestApp, circleId: string, user: TestUser, what: 'requests' | 'recipients', id: string): Test {
  return t.http().get(`/v1/circles/${circleId}/${what}/${id}/duplicates`).set(as(user));
}
