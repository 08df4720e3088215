import { randomUUID } from 'node:crypto';
import { bearer, registerAndLogin } from './auth.js';
import type { TestApp } from './test-app.js';

export type TestUser = Awaited<ReturnType<typeof registerAndLogin>>;

/** The time zone of a circle made by `createCircle` unless the test names another. */
export const TEST_CIRCLE_TIMEZONE = 'America/New_York';

/** Creates a circle owned by `organizer` and returns its id. */
export async function createCircle(t: TestApp, organizer: TestUser, body: Partial<{ name: string; currency: string; timezone: string }> = {}): Promise<string> {
  const res = await t
    .http()
    .post('/v1/circles')
    .set('Authorization', bearer(organizer.accessToken))
    .set('Idempotency-Key', randomUUID())
    .send({ name: 'Eastside Mutual Aid', currency: 'USD', timezone: TEST_CIRCLE_TIMEZONE, ...body });
  if (res.status !== 201) throw new Error(`create circle failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Invites a new user into the circle with `role` and returns that user. */
export async function addMember(t: TestApp, circleId: string, organizer: TestUser, role: string, user?: TestUser): Promise<TestUser> {
  const member = user ?? (await registerAndLogin(t));
  const invite = await t.http().post(`/v1/circles/${circleId}/invites`).set('Authorization', bearer(organizer.accessToken)).send({ role });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const accepted = await t.http().post(`/v1/invites/${invite.body.token}/accept`).set('Authorization', bearer(member.accessToken));
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return member;
}
