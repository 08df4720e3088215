import { bearer } from './auth.js';
import type { TestUser } from './circles.js';
import type { TestApp } from './test-app.js';

export interface RecipientBody {
  alias: string;
  contact?: string;
  payoutHandle?: string;
  note?: string;
}

/** Adds a recipient to the circle's waitlist as `organizer` and returns the response body. */
export async function createRecipient(t: TestApp, circleId: string, organizer: TestUser, body: Partial<RecipientBody> = {}): Promise<{ id: string; alias: string; status: string; position: number | null }> {
  const res = await t
    .http()
    .post(`/v1/circles/${circleId}/recipients`)
    .set('Authorization', bearer(organizer.accessToken))
    .send({ alias: `Neighbour ${Math.floor(Math.random() * 1000)}`, ...body });
  if (res.status !== 201) throw new Error(`create recipient failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Runs a transition (`offer`, `accept`, `exit`…) and returns the response, whatever its status. */
export function transition(t: TestApp, circleId: string, user: TestUser, recipientId: string, action: string, body: object = {}) {
  return t.http().post(`/v1/circles/${circleId}/recipients/${recipientId}/${action}`).set('Authorization', bearer(user.accessToken)).send(body);
}
