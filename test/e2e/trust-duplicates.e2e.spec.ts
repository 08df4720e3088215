// Duplicate checks by keyed digest (docs/trust.md): three circles, two of them in one network.
// A request is flagged when its payout handle, phone or email is also known in its circle or
// in another circle of its network — counts only — and never otherwise; leaving the network,
// erasure and "not the same person" clear the flag; a new DUPLICATE_KEY is caught up by the
// re-digest job; the database keeps a circle in one network and a join code single-use.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { PrivacyService } from '../../src/privacy/privacy.service.js';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { authHeader, expectProblem } from '../support/problems.js';
import { openRequest, requestAction } from '../support/requests.js';
import { createRecipient } from '../support/roster.js';
import { sqlStateOf } from '../support/sqlstate.js';
import { createSecondInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { createNetwork, duplicatesOf, joinCode, joinNetwork, leaveNetwork } from '../support/trust.js';

const digestsOf = async (t: TestApp, subjectId: string): Promise<number> => (await t.sql.query('SELECT count(*)::int AS n FROM duplicate_digests WHERE subject_id = $1', [subjectId])).rows[0].n;

describe('duplicate checks across a network', () => {
  let t: TestApp;
  const org: Record<'a' | 'b' | 'c', TestUser> = {} as never;
  const circle: Record<'a' | 'b' | 'c', string> = {} as never;
  let member: TestUser;
  let treasurer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    for (const k of ['a', 'b', 'c'] as const) {
      org[k] = await registerAndLogin(t);
      circle[k] = await createCircle(t, org[k], { name: `Circle ${k.toUpperCase()}` });
    }
    member = await addMember(t, circle.a, org.a, 'member');
    treasurer = await addMember(t, circle.a, org.a, 'treasurer');
    expect((await createNetwork(t, circle.a, org.a)).status).toBe(201);
    const joined = await joinNetwork(t, circle.b, org.b, await joinCode(t, circle.a, org.a)).expect(200);
    expect(joined.body).toMatchObject({ inNetwork: true, memberCircles: 2 });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('flags a request whose payout handle a recipient of the other network circle has, and not one in the third circle', async () => {
    const known = await createRecipient(t, circle.b, org.b, { alias: 'Known in B', payoutHandle: '$MariaLopez88' });
    const inA = await openRequest(t, circle.a, member, { kind: 'grant', category: 'rent', amount: 5000, alias: 'Asks A', payoutHandle: ' $maria lopez88 ' }).expect(201);
    const inC = await openRequest(t, circle.c, org.c, { kind: 'grant', category: 'rent', amount: 5000, alias: 'Asks C', payoutHandle: '$MariaLopez88' }).expect(201);

    const flagged = await duplicatesOf(t, circle.a, org.a, 'requests', inA.body.id).expect(200);
    expect(flagged.body).toEqual({ possibleDuplicate: true, inThisCircle: false, otherCircles: 1, summary: 'Possible duplicate: also known in 1 other circle of the network.' });
    // The recipient in B sees the same from its side: counts only, never which circle or who.
    expect((await duplicatesOf(t, circle.b, org.b, 'recipients', known.id).expect(200)).body).toMatchObject({ otherCircles: 1, inThisCircle: false });
    expect((await duplicatesOf(t, circle.c, org.c, 'requests', inC.body.id).expect(200)).body).toEqual({ possibleDuplicate: false, inThisCircle: false, otherCircles: 0, summary: 'No possible duplicate.' });

    // Organizers only: the referrer and a treasurer get 403; another circle's organizer the 404 of a missing circle.
    expectProblem(await duplicatesOf(t, circle.a, member, 'requests', inA.body.id), 403, 'forbidden');
    expectProblem(await duplicatesOf(t, circle.a, treasurer, 'requests', inA.body.id), 403, 'forbidden');
    expectProblem(await duplicatesOf(t, circle.a, org.b, 'requests', inA.body.id), 404, 'not-found');
  });

  it('flags a phone number known in the same circle, however it is written, and clears the pair marked "not the same person"', async () => {
    const r = await createRecipient(t, circle.a, org.a, { alias: 'Phone A', contact: '+1 (555) 010-2000' });
    const asked = await openRequest(t, circle.a, org.a, { kind: 'roster', alias: 'Phone again', contact: '555.010.2000' }).expect(201);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ inThisCircle: true, otherCircles: 0, summary: 'Possible duplicate: also known in this circle.' });

    const dismissed = await t.http().post(`/v1/circles/${circle.a}/requests/${asked.body.id}/duplicates/not-same-person`).set(authHeader(org.a)).expect(200);
    expect(dismissed.body).toMatchObject({ possibleDuplicate: false, inThisCircle: false });
    // Within the circle the mark holds both ways, and it is kept.
    expect((await duplicatesOf(t, circle.a, org.a, 'recipients', r.id).expect(200)).body).toMatchObject({ possibleDuplicate: false });
    expect((await t.sql.query('SELECT count(*)::int AS n FROM duplicate_dismissals WHERE circle_id = $1', [circle.a])).rows[0].n).toBe(2);
    // Someone new with the same number is a new match.
    const third = await openRequest(t, circle.a, org.a, { kind: 'roster', alias: 'Third', contact: '0015550102000' }).expect(201);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ inThisCircle: true });
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', third.body.id).expect(200)).body).toMatchObject({ inThisCircle: true });
  });

  it('follows a change of the recipient\'s vault fields and removes the digests with erasure', async () => {
    const known = await createRecipient(t, circle.b, org.b, { alias: 'Moves', payoutHandle: '@jo-venmo-1' });
    const asked = await openRequest(t, circle.a, org.a, { kind: 'grant', category: 'food', amount: 1000, alias: 'Jo', payoutHandle: 'JO-VENMO-1' }).expect(201);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ otherCircles: 1 });

    await t.http().put(`/v1/circles/${circle.b}/recipients/${known.id}/private`).set(authHeader(org.b)).send({ payoutHandle: '@someone-else' }).expect(204);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ otherCircles: 0 });
    await t.http().put(`/v1/circles/${circle.b}/recipients/${known.id}/private`).set(authHeader(org.b)).send({ payoutHandle: '@jo-venmo-1' }).expect(204);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ otherCircles: 1 });

    expect(await digestsOf(t, known.id)).toBe(1);
    await t.http().delete(`/v1/circles/${circle.b}/recipients/${known.id}/private`).set(authHeader(org.b)).expect(200);
    expect(await digestsOf(t, known.id)).toBe(0);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ otherCircles: 0 });

    // A request's erasure does the same.
    const subject = (await t.sql.query('SELECT subject_id FROM requests WHERE id = $1', [asked.body.id])).rows[0].subject_id as string;
    expect(await digestsOf(t, subject)).toBe(1);
    await t.http().delete(`/v1/circles/${circle.a}/requests/${asked.body.id}/private`).set(authHeader(org.a)).expect(204);
    expect(await digestsOf(t, subject)).toBe(0);
  });

  it('loses the digests with the vault row in the retention purge after a request is decided', async () => {
    const asked = await openRequest(t, circle.a, org.a, { kind: 'roster', alias: 'Declined', payoutHandle: '$DeclinedSoon' }).expect(201);
    const subject = (await t.sql.query('SELECT subject_id FROM requests WHERE id = $1', [asked.body.id])).rows[0].subject_id as string;
    await requestAction(t, circle.a, org.a, asked.body.id, 'decline', { reason: 'duplicate' }).expect(200);
    // Kept until the circle's retention period has passed …
    expect(await digestsOf(t, subject)).toBe(1);
    expect(await t.app.get(JobsService).runVaultRetentionPurge(new Date(Date.now() + 400 * 86_400_000))).toBeGreaterThan(0);
    // … then deleted with the vault row.
    expect(await digestsOf(t, subject)).toBe(0);
  });

  it('clears the flag when a circle leaves the network, and a used join code does not work again', async () => {
    await createRecipient(t, circle.b, org.b, { alias: 'Leaves', contact: 'Sam@Example.org ' });
    const asked = await openRequest(t, circle.a, org.a, { kind: 'roster', alias: 'Sam', contact: 'sam@example.org' }).expect(201);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ otherCircles: 1 });

    const code = await joinCode(t, circle.a, org.a);
    await leaveNetwork(t, circle.b, org.b).expect(204);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ otherCircles: 0 });
    expect((await t.http().get(`/v1/circles/${circle.b}/network`).set(authHeader(org.b)).expect(200)).body).toEqual({ inNetwork: false });
    expectProblem(await leaveNetwork(t, circle.b, org.b), 404, 'not-found');

    await joinNetwork(t, circle.b, org.b, code).expect(200);
    expect((await duplicatesOf(t, circle.a, org.a, 'requests', asked.body.id).expect(200)).body).toMatchObject({ otherCircles: 1 });
    await leaveNetwork(t, circle.b, org.b).expect(204);
    const reused = await joinNetwork(t, circle.b, org.b, code);
    expectProblem(reused, 409, 'invalid-state');
    expect(reused.body.state).toBe('used');
    await joinNetwork(t, circle.b, org.b, await joinCode(t, circle.a, org.a)).expect(200);
  });

  it('answers bad input with problems', async () => {
    expectProblem(await createNetwork(t, circle.a, org.a), 409, 'conflict');
    expectProblem(await joinNetwork(t, circle.b, org.b, await joinCode(t, circle.a, org.a)), 409, 'conflict');
    expectProblem(await joinNetwork(t, circle.c, org.c, 'x'.repeat(43)), 404, 'not-found');
    expectProblem(await joinNetwork(t, circle.c, org.c, 'short'), 400, 'validation-failed');
    expectProblem(await t.http().post(`/v1/circles/${circle.c}/network/join-codes`).set(authHeader(org.c)).send({}), 409, 'invalid-state');
    expectProblem(await t.http().post(`/v1/circles/${circle.a}/network/join-codes`).set(authHeader(org.a)).send({ expiresInHours: 0 }), 400, 'validation-failed');
    expectProblem(await t.http().post(`/v1/circles/${circle.a}/network`).set(authHeader(member)), 403, 'forbidden');
    expectProblem(await duplicatesOf(t, circle.a, org.a, 'requests', '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    expectProblem(await duplicatesOf(t, circle.a, org.a, 'recipients', 'not-a-uuid'), 404, 'not-found');
  });

  it('keeps a circle in one network and a join code single-use in the database', async () => {
    const [networkId] = (await t.sql.query('SELECT network_id FROM network_members WHERE circle_id = $1', [circle.a])).rows.map((r) => r.network_id as string);
    await t.sql.query(`INSERT INTO networks (id) VALUES (gen_random_uuid())`);
    expect(await sqlStateOf(t.sql, [`INSERT INTO network_members (circle_id, network_id, joined_by) SELECT $1, id, $2 FROM networks WHERE id <> $3 LIMIT 1`, [circle.a, org.a.userId, networkId]])).toBe('23505');
    const used = (await t.sql.query('SELECT id FROM network_join_codes WHERE used_at IS NOT NULL LIMIT 1')).rows[0].id as string;
    expect(await sqlStateOf(t.sql, ['UPDATE network_join_codes SET used_at = NULL, used_by_circle_id = NULL WHERE id = $1', [used]])).toBe('AR150');
    expect(await sqlStateOf(t.sql, ['UPDATE network_join_codes SET used_by_circle_id = $2 WHERE id = $1', [used, circle.c]])).toBe('AR150');
    // A digest exists only with the vault row it was computed from.
    expect(await sqlStateOf(t.sql, [`INSERT INTO duplicate_digests (subject_id, kind, digest, circle_id, key_id) VALUES (gen_random_uuid(), 'handle', $1, $2, 'k')`, [randomBytes(32), circle.a]])).toBe('23503');
  });

  it('re-digests every vault row under a new DUPLICATE_KEY in the background job, then matches again', async () => {
    await createRecipient(t, circle.b, org.b, { alias: 'Rotated', payoutHandle: '$RotateMe' });
    const asked = await openRequest(t, circle.a, org.a, { kind: 'roster', alias: 'Rotate', payoutHandle: '$rotateme' }).expect(201);
    const keysNow = async () => (await t.sql.query('SELECT DISTINCT key_id FROM duplicate_digests')).rows.map((r) => r.key_id as string);
    const [before] = await keysNow();
    expect(await keysNow()).toEqual([before]);
    const rotated = await createSecondInstance(t, { duplicateKey: randomBytes(32) });
    try {
      const check = () => rotated.http().get(`/v1/circles/${circle.a}/requests/${asked.body.id}/duplicates`).set(authHeader(org.a)).expect(200);
      // Until the job ran, digests under the old key are not compared with the new key's.
      expect((await check()).body).toMatchObject({ otherCircles: 0 });
      const privacy = rotated.app.get(PrivacyService);
      expect(await privacy.redigestStale(3)).toBe(3);
      // The scheduled job does the rest in batches.
      expect(await rotated.app.get(JobsService).runDuplicateRedigest()).toBeGreaterThan(0);
      expect((await check()).body).toMatchObject({ otherCircles: 1 });
      const after = await keysNow();
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(before);
      expect(await privacy.redigestStale()).toBe(0);
    } finally {
      await rotated.close();
    }
  });
});
