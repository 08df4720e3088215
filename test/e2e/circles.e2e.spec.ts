import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CircleAccessPrefetch } from '../../src/circles/circle-access-prefetch.js';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

describe('circles, roles and invites', () => {
  let t: TestApp;
  let organizer: TestUser;
  let donor: TestUser;
  let outsider: TestUser;
  let circleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    donor = await addMember(t, circleId, organizer, 'donor');
  });
  afterAll(async () => {
    await t.close();
  });


  it('records the currency exponent and makes the creator organizer', async () => {
    const res = await t.http().post('/v1/circles').set(authHeader(organizer)).send({ name: 'Yen circle', currency: 'JPY', timezone: 'Asia/Tokyo' }).expect(201);
    expect(res.body).toMatchObject({ currency: 'JPY', currencyExponent: 0, myRole: 'organizer', timezone: 'Asia/Tokyo', version: 1 });
    expect(res.headers.etag).toBe('"1"');
    const kwd = await t.http().post('/v1/circles').set(authHeader(organizer)).send({ name: 'Dinar circle', currency: 'KWD', timezone: 'Asia/Kuwait' }).expect(201);
    expect(kwd.body.currencyExponent).toBe(3);
  });

  it.each([
    [{ name: 'x', currency: 'ZZZ', timezone: 'UTC' }, 'currency'],
    [{ name: 'x', currency: 'usd', timezone: 'UTC' }, 'currency'],
    [{ name: 'x', currency: 'XAU', timezone: 'UTC' }, 'currency'],
    [{ name: 'x', currency: 'USD', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ name: '', currency: 'USD', timezone: 'UTC' }, 'name'],
    [{ name: 'x', currency: 'USD', timezone: 'UTC', owner: 'me' }, 'owner'],
  ])('rejects a bad circle %j naming the field', async (body, field) => {
    const res = await t.http().post('/v1/circles').set(authHeader(organizer)).send(body).expect(400);
    expect(res.body.type).toBe('urn:arvut:problem:validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('lists only the circles you belong to, with cursor pages', async () => {
    const first = await t.http().get('/v1/circles?limit=1').set(authHeader(organizer)).expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await t.http().get(`/v1/circles?limit=100&cursor=${first.body.nextCursor}`).set(authHeader(organizer)).expect(200);
    const ids = [...first.body.items, ...rest.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(circleId);
    const theirs = await t.http().get('/v1/circles').set(authHeader(outsider)).expect(200);
    expect(theirs.body.items).toEqual([]);
    await t.http().get('/v1/circles?cursor=not-a-cursor').set(authHeader(organizer)).expect(400);
    await t.http().get('/v1/circles?limit=1000').set(authHeader(organizer)).expect(400);
  });

  it('hides a circle from non-members exactly like a missing one', async () => {
    const foreign = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(outsider)).expect(404);
    const missing = await t.http().get('/v1/circles/00000000-0000-4000-8000-000000000000').set(authHeader(outsider)).expect(404);
    const malformed = await t.http().get('/v1/circles/not-a-uuid').set(authHeader(outsider)).expect(404);
    for (const body of [missing.body, malformed.body]) {
      expect({ ...body, requestId: undefined }).toEqual({ ...foreign.body, requestId: undefined });
    }
  });

  it('checks the session of a circle request and reads the caller\'s access in one query, used by the access check', async () => {
    const prefetch = t.app.get(CircleAccessPrefetch);
    const check = jest.spyOn(prefetch, 'checkSession');
    const query = jest.spyOn(t.app.get(DataSource).manager, 'query');
    try {
      await t.http().get(`/v1/circles/${circleId}/ledger/accounts`).set(authHeader(donor)).expect(200);
      expect(check).toHaveBeenCalledTimes(1);
      // No second access query: CircleAccess used the row the session check left.
      expect(query.mock.calls.filter(([sql]) => String(sql).includes('FROM circles c LEFT JOIN memberships m'))).toEqual([]);
      await t.http().get(`/v1/circles/${circleId}/ledger/accounts`).set(authHeader(outsider)).expect(404);
      expect(check).toHaveBeenCalledTimes(2);
    } finally {
      check.mockRestore();
      query.mockRestore();
    }
  });

  it('edits settings only with a current ETag', async () => {
    const read = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(organizer)).expect(200);
    const etag = read.headers.etag as string;
    const missing = await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).send({ name: 'Renamed' }).expect(428);
    expect(missing.body.type).toBe('urn:arvut:problem:precondition-required');
    const ok = await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', etag).send({ name: 'Renamed', retentionDays: 14 }).expect(200);
    expect(ok.body).toMatchObject({ name: 'Renamed', settings: { retentionDays: 14 } });
    expect(ok.headers.etag).not.toBe(etag);
    const stale = await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', etag).send({ name: 'Lost update' }).expect(412);
    expect(stale.body.type).toBe('urn:arvut:problem:precondition-failed');
    const after = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(organizer)).expect(200);
    expect(after.body.name).toBe('Renamed');
    await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', ok.headers.etag as string).send({ currency: 'EUR' }).expect(400);
  });

  it('forbids a donor from changing the circle (403) but lets them read it', async () => {
    const read = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(donor)).expect(200);
    expect(read.body.myRole).toBe('donor');
    const res = await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(donor)).set('If-Match', read.headers.etag as string).send({ name: 'Mine now' }).expect(403);
    expect(res.body.type).toBe('urn:arvut:problem:forbidden');
    await t.http().post(`/v1/circles/${circleId}/invites`).set(authHeader(donor)).send({ role: 'organizer' }).expect(403);
  });

  it('shows member emails to organizers only', async () => {
    const byOrganizer = await t.http().get(`/v1/circles/${circleId}/members`).set(authHeader(organizer)).expect(200);
    expect(byOrganizer.body.items.find((m: { userId: string }) => m.userId === donor.userId)).toMatchObject({ role: 'donor', email: donor.email });
    const byDonor = await t.http().get(`/v1/circles/${circleId}/members`).set(authHeader(donor)).expect(200);
    expect(JSON.stringify(byDonor.body)).not.toContain('@');
  });

  it('makes invites single-use, expiring and revocable', async () => {
    const invite = await t.http().post(`/v1/circles/${circleId}/invites`).set(authHeader(organizer)).send({ role: 'member', expiresInHours: 1 }).expect(201);
    expect(invite.body).toMatchObject({ role: 'member', status: 'pending' });
    const a = await registerAndLogin(t);
    const b = await registerAndLogin(t);
    await t.http().post(`/v1/invites/${invite.body.token}/accept`).set(authHeader(a)).expect(200, { circleId, role: 'member' });
    const reused = await t.http().post(`/v1/invites/${invite.body.token}/accept`).set(authHeader(b)).expect(409);
    expect(reused.body.type).toBe('urn:arvut:problem:invite-used');
    await t.http().get(`/v1/circles/${circleId}`).set(authHeader(b)).expect(404);

    const stored = await t.sql.query('SELECT token_hash FROM invites WHERE id = $1', [invite.body.id]);
    expect(stored.rows[0].token_hash).not.toContain(invite.body.token);

    const expiring = await t.http().post(`/v1/circles/${circleId}/invites`).set(authHeader(organizer)).send({ role: 'member' }).expect(201);
    await t.sql.query(`UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expiring.body.id]);
    await t.http().post(`/v1/invites/${expiring.body.token}/accept`).set(authHeader(b)).expect(410);

    const revoked = await t.http().post(`/v1/circles/${circleId}/invites`).set(authHeader(organizer)).send({ role: 'member' }).expect(201);
    await t.http().delete(`/v1/circles/${circleId}/invites/${revoked.body.id}`).set(authHeader(organizer)).expect(204);
    await t.http().post(`/v1/invites/${revoked.body.token}/accept`).set(authHeader(b)).expect(404);
    await t.http().post('/v1/invites/garbage/accept').set(authHeader(b)).expect(404);

    const again = await t.http().post(`/v1/circles/${circleId}/invites`).set(authHeader(organizer)).send({ role: 'member' }).expect(201);
    const dup = await t.http().post(`/v1/invites/${again.body.token}/accept`).set(authHeader(a)).expect(409);
    expect(dup.body.type).toBe('urn:arvut:problem:already-member');
  });

  it('always keeps at least one organizer', async () => {
    const own = await createCircle(t, organizer);
    const demote = await t.http().patch(`/v1/circles/${own}/members/${organizer.userId}`).set(authHeader(organizer)).send({ role: 'member' }).expect(409);
    expect(demote.body.type).toBe('urn:arvut:problem:last-organizer');
    await t.http().delete(`/v1/circles/${own}/members/${organizer.userId}`).set(authHeader(organizer)).expect(409);

    const second = await addMember(t, own, organizer, 'treasurer');
    await t.http().patch(`/v1/circles/${own}/members/${second.userId}`).set(authHeader(organizer)).send({ role: 'organizer' }).expect(200);
    // Two organizers demoting each other at once: the circle row lock lets only one through.
    const [x, y] = await Promise.all([
      t.http().patch(`/v1/circles/${own}/members/${second.userId}`).set(authHeader(organizer)).send({ role: 'member' }),
      t.http().patch(`/v1/circles/${own}/members/${organizer.userId}`).set(authHeader(second)).send({ role: 'member' }),
    ]);
    // The loser is refused either as no longer an organizer (403) or as the last one (409).
    expect([x.status, y.status].filter((s) => s === 200)).toHaveLength(1);
    expect([x.status, y.status].every((s) => [200, 403, 409].includes(s))).toBe(true);
    const organizers = await t.sql.query(`SELECT count(*)::int AS n FROM memberships WHERE circle_id = $1 AND role = 'organizer'`, [own]);
    expect(organizers.rows[0].n).toBe(1);
  });

  it('lets a member leave by themselves, but not remove others', async () => {
    const own = await createCircle(t, organizer);
    const m1 = await addMember(t, own, organizer, 'member');
    const m2 = await addMember(t, own, organizer, 'donor');
    await t.http().delete(`/v1/circles/${own}/members/${m2.userId}`).set(authHeader(m1)).expect(403);
    await t.http().delete(`/v1/circles/${own}/members/${m1.userId}`).set(authHeader(m1)).expect(204);
    await t.http().get(`/v1/circles/${own}`).set(authHeader(m1)).expect(404);
    await t.http().delete(`/v1/circles/${own}/members/${m2.userId}`).set(authHeader(organizer)).expect(204);
  });
});
