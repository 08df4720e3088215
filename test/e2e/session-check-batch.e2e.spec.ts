// The session checks of requests arriving together are made in one query
// (src/circles/circle-access-prefetch.ts): each request must still get its own answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CircleAccessPrefetch } from '../../src/circles/circle-access-prefetch.js';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('session checks made together', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;
  let otherCircleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    otherCircleId = await createCircle(t, await registerAndLogin(t));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers each check of one batch for its own session, user and circle', async () => {
    const member = await addMember(t, circleId, organizer, 'member');
    const treasurer = await addMember(t, circleId, organizer, 'treasurer');
    const loggedOut = await addMember(t, circleId, organizer, 'member');
    await t.http().post('/v1/auth/logout').set('Authorization', bearer(loggedOut.accessToken)).expect(204);
    const outsider = await registerAndLogin(t);

    const prefetch = t.app.get(CircleAccessPrefetch);
    const spied = prefetch as unknown as { checkMany: (checks: readonly unknown[]) => Promise<unknown[]> };
    const original = spied.checkMany.bind(prefetch);
    const batches: number[] = [];
    spied.checkMany = (checks) => {
      batches.push(checks.length);
      return original(checks);
    };
    const claims = (u: TestUser) => JSON.parse(Buffer.from(u.accessToken.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };
    const check = (u: TestUser, circle: string, as: TestUser = u) => prefetch.checkSession(claims(u).sid, claims(as).sub, circle);
    let answers: boolean[];
    try {
      // Issued in one turn of the event loop: one batch, in this order.
      answers = await Promise.all([
        check(member, circleId),
        check(loggedOut, circleId),
        check(treasurer, circleId),
        check(outsider, circleId),
        check(organizer, otherCircleId),
        check(treasurer, circleId, member),
      ]);
    } finally {
      delete (spied as { checkMany?: unknown }).checkMany;
    }
    expect(batches).toEqual([6]);
    // A live session passes whatever its role in the circle (the access check comes later);
    // a logged-out one does not, nor a session presented with another user's id.
    expect(answers).toEqual([true, false, true, true, true, false]);

    // The same over HTTP, all at once: the access each request was answered with is its own.
    const feed = (u: TestUser) => t.http().get(`/v1/circles/${circleId}/ledger/accounts`).set('Authorization', bearer(u.accessToken));
    const statuses = (await Promise.all([member, loggedOut, treasurer, outsider, member, outsider].map(feed))).map((r) => r.status);
    expect(statuses).toEqual([200, 401, 200, 404, 200, 404]);
  });
});
