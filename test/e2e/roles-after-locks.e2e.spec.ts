// A hostile or merely unlucky member: a mutation decides on the caller's role as it stands
// when the mutation runs, not as the session check saw it a moment earlier, and invites do
// not outlive their creator's role. docs/security.md, "A member who loses their role".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('roles are read after the locks', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Runs `request` while the membership row of `member` is being changed to `role` in a transaction that commits 300 ms later. */
  async function whileDemoted<T>(member: TestUser, role: string | null, request: () => PromiseLike<T>): Promise<T> {
    const client = await t.sql.connect();
    try {
      await client.query('BEGIN');
      if (role === null) await client.query('DELETE FROM memberships WHERE circle_id = $1 AND user_id = $2', [circleId, member.userId]);
      else await client.query('UPDATE memberships SET role = $3 WHERE circle_id = $1 AND user_id = $2', [circleId, member.userId, role]);
      const pending = Promise.resolve(request());
      await pause(300);
      await client.query('COMMIT');
      return await pending;
    } finally {
      client.release();
    }
  }

  it('a treasurer demoted while their adjustment is under way does not post it', async () => {
    const treasurer = await addMember(t, circleId, organizer, 'treasurer');
    const res = await whileDemoted(treasurer, 'member', () => postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 777 }));
    expect([res.status, res.body.type]).toEqual([403, 'urn:arvut:problem:forbidden']);
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM ledger_transfers WHERE circle_id = $1 AND kind = 'adjustment'`, [circleId]);
    expect(rows[0].n).toBe(0);
  });

  it('an organizer removed while changing someone\'s role does not change it', async () => {
    const second = await addMember(t, circleId, organizer, 'organizer');
    const target = await addMember(t, circleId, organizer, 'member');
    const res = await whileDemoted(second, null, () =>
      t.http().patch(`/v1/circles/${circleId}/members/${target.userId}`).set('Authorization', bearer(second.accessToken)).send({ role: 'treasurer' }),
    );
    expect(res.status).toBe(404);
    const { rows } = await t.sql.query('SELECT role FROM memberships WHERE circle_id = $1 AND user_id = $2', [circleId, target.userId]);
    expect(rows[0].role).toBe('member');
  });

  it('an organizer demoted while inviting creates no invite', async () => {
    const second = await addMember(t, circleId, organizer, 'organizer');
    const res = await whileDemoted(second, 'donor', () => t.http().post(`/v1/circles/${circleId}/invites`).set('Authorization', bearer(second.accessToken)).send({ role: 'organizer' }));
    expect(res.status).toBe(403);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM invites WHERE circle_id = $1 AND created_by = $2', [circleId, second.userId]);
    expect(rows[0].n).toBe(0);
  });
});

describe('invites do not outlive their creator\'s role', () => {
  let t: TestApp;
  let founder: TestUser;
  let circleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    founder = await registerAndLogin(t);
    circleId = await createCircle(t, founder);
  });
  afterAll(async () => {
    await t?.close();
  });

  const invite = (by: TestUser, role: string) => t.http().post(`/v1/circles/${circleId}/invites`).set('Authorization', bearer(by.accessToken)).send({ role });
  const accept = (user: TestUser, token: string) => t.http().post(`/v1/invites/${token}/accept`).set('Authorization', bearer(user.accessToken));

  it("revokes a person's open invites when they lose the organizer role or leave", async () => {
    for (const exit of ['demoted', 'removed', 'left'] as const) {
      const creator = await addMember(t, circleId, founder, 'organizer');
      const open = await invite(creator, 'treasurer').expect(201);
      if (exit === 'demoted') await t.http().patch(`/v1/circles/${circleId}/members/${creator.userId}`).set('Authorization', bearer(founder.accessToken)).send({ role: 'member' }).expect(200);
      if (exit === 'removed') await t.http().delete(`/v1/circles/${circleId}/members/${creator.userId}`).set('Authorization', bearer(founder.accessToken)).expect(204);
      if (exit === 'left') await t.http().delete(`/v1/circles/${circleId}/members/${creator.userId}`).set('Authorization', bearer(creator.accessToken)).expect(204);
      const newcomer = await registerAndLogin(t);
      expect([exit, (await accept(newcomer, open.body.token)).status]).toEqual([exit, 404]);
      const { rows } = await t.sql.query('SELECT revoked_at IS NOT NULL AS revoked FROM invites WHERE id = $1', [open.body.id]);
      expect([exit, rows[0].revoked]).toEqual([exit, true]);
    }
  });

  it('an invite never grants a role above what its creator holds when it is accepted', async () => {
    const creator = await addMember(t, circleId, founder, 'organizer');
    const open = await invite(creator, 'organizer').expect(201);
    // Demoted behind the API's back (no revocation ran): the accept itself checks.
    await t.sql.query(`UPDATE memberships SET role = 'treasurer' WHERE circle_id = $1 AND user_id = $2`, [circleId, creator.userId]);
    const newcomer = await registerAndLogin(t);
    expect((await accept(newcomer, open.body.token)).status).toBe(404);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM memberships WHERE circle_id = $1 AND user_id = $2', [circleId, newcomer.userId]);
    expect(rows[0].n).toBe(0);
  });
});
