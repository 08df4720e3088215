// Deleting an account (docs/privacy.md, "Users"): the password is asked again; the email and
// password go, with every membership and login, in one transaction; what the person did stays
// under an id that names no one. Refused, changing nothing, while they are a circle's only
// organizer or a pledge of theirs still expects money.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, registerAndLogin, TEST_PASSWORD } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { pledgeAction, postContribution, postPledge } from '../support/pledges.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('account deletion', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;
  const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });
  const deleteAccount = (u: TestUser, password = TEST_PASSWORD) => t.http().delete('/v1/me').set(as(u)).send({ password });
  const userRow = async (id: string) => (await t.sql.query('SELECT email, password_hash, deleted_at FROM users WHERE id = $1', [id])).rows[0];

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
  });
  afterAll(async () => {
    await t.close();
  });

  it('asks for the password again, and refuses without changing anything', async () => {
    const member = await addMember(t, circleId, organizer, 'member');
    expect((await deleteAccount(member, 'not-the-password-1').expect(401)).body.type).toBe('urn:arvut:problem:invalid-credentials');
    expect((await t.http().delete('/v1/me').set(as(member)).send({}).expect(400)).body.type).toBe('urn:arvut:problem:validation-failed');
    await t.http().delete('/v1/me').send({ password: TEST_PASSWORD }).expect(401);
    await t.http().get('/v1/me').set(as(member)).expect(200);
    expect((await userRow(member.userId)).deleted_at).toBeNull();
  });

  it('removes the person from their circles, ends every login and forgets email and password; their records stay', async () => {
    const donor = await addMember(t, circleId, organizer, 'donor');
    const other = await createCircle(t, organizer);
    await addMember(t, other, organizer, 'treasurer', donor);
    const secondLogin = (await t.http().post('/v1/auth/login').send({ email: donor.email, password: TEST_PASSWORD }).expect(200)).body as { accessToken: string; refreshToken: string };
    const pledge = await postPledge(t, donor, circleId, { amount: 2500, method: 'manual' });
    expect(pledge.status).toBe(201);
    const treasurer = await addMember(t, circleId, organizer, 'treasurer');
    expect((await postContribution(t, treasurer, circleId, { amount: 2500, method: 'cash', receivedOn: '2026-03-01', pledgeId: pledge.body.id })).status).toBe(201);

    // A pledge that still expects money comes first.
    expect((await deleteAccount(donor).expect(409)).body.type).toBe('urn:arvut:problem:invalid-state');
    await pledgeAction(t, donor, circleId, pledge.body.id, 'cancel').expect(200);
    // A co-member knows the donor's id; the deletion's placeholder is nothing sign-up accepts.
    for (const squat of [`deleted:${donor.userId}`, `deleted-${donor.userId}@deleted.invalid`]) {
      const res = await t.http().post('/v1/auth/register').send({ email: squat, password: TEST_PASSWORD });
      expect([squat, res.status]).toEqual([squat, squat.includes('@') ? 201 : 400]);
    }
    await deleteAccount(donor).expect(204);

    // Every login ended: both access tokens and the refresh token.
    await t.http().get('/v1/me').set(as(donor)).expect(401);
    await t.http().get('/v1/me').set('Authorization', bearer(secondLogin.accessToken)).expect(401);
    await t.http().post('/v1/auth/refresh').send({ refreshToken: secondLogin.refreshToken }).expect(401);
    expect((await t.http().post('/v1/auth/login').send({ email: donor.email, password: TEST_PASSWORD }).expect(401)).body.type).toBe('urn:arvut:problem:invalid-credentials');
    // Out of both circles; the email is nowhere in the database; the row stays for the records.
    for (const c of [circleId, other]) {
      const members = await t.http().get(`/v1/circles/${c}/members`).set(as(organizer)).expect(200);
      expect(JSON.stringify(members.body)).not.toContain(donor.userId);
    }
    const row = await userRow(donor.userId);
    expect(row.email).toBe(`deleted:${donor.userId}`);
    expect(row.deleted_at).not.toBeNull();
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM users u WHERE u::text ILIKE '%' || $1 || '%'`, [donor.email]);
    expect(rows[0].n).toBe(0);
    expect((await t.sql.query('SELECT status FROM pledges WHERE id = $1', [pledge.body.id])).rows[0].status).toBe('cancelled');
    expect((await t.sql.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [donor.userId])).rows[0].n).toBe(0);
    // The email is free again.
    await t.http().post('/v1/auth/register').send({ email: donor.email, password: TEST_PASSWORD }).expect(201);
  });

  it("refuses while the person is a circle's only organizer, until someone else is one", async () => {
    const founder = await registerAndLogin(t);
    const own = await createCircle(t, founder);
    const helper = await addMember(t, own, founder, 'member');
    expect((await deleteAccount(founder).expect(409)).body).toMatchObject({ type: 'urn:arvut:problem:last-organizer', detail: expect.stringContaining('1 circle') });
    await t.http().get(`/v1/circles/${own}`).set(as(founder)).expect(200);
    await t.http().patch(`/v1/circles/${own}/members/${helper.userId}`).set(as(founder)).send({ role: 'organizer' }).expect(200);
    await deleteAccount(founder).expect(204);
    const members = await t.http().get(`/v1/circles/${own}/members`).set(as(helper)).expect(200);
    expect(JSON.stringify(members.body)).not.toContain(founder.userId);
  });
});
