// The receipt feed and its checkpoints through HTTP: who may read (members; anyone when
// public, rate-limited), stable keyset pages, signed checkpoints that verify with the
// published key, the hourly job, and receipts.csv.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, verify } from 'node:crypto';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { canonicalCheckpoint, verifyCheckpoint } from '../../src/transparency/receipts/checkpoint-message.js';
import { PUBLIC_READ_LIMIT_PER_MINUTE } from '../../src/transparency/public-read/public-read-rate-limit.guard.js';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { allReceipts, getReceipts, postAdjustmentsInSql, type ReceiptItem } from '../support/receipts.js';
import { activateCycle, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { createRecipient } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('receipt feed, checkpoints and receipts.csv', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let circleId: string;
  const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });
  const withoutRequestId = ({ requestId: _r, ...rest }: Record<string, unknown>) => rest;
  const setVisibility = async (id: string, receiptVisibility: 'members' | 'public') => {
    const circle = await t.http().get(`/v1/circles/${id}`).set(as(organizer)).expect(200);
    await t.http().patch(`/v1/circles/${id}`).set(as(organizer)).set('If-Match', circle.headers.etag).send({ receiptVisibility }).expect(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
    await postAdjustmentsInSql(t, circleId, 250);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pages through the chain in order by seq; a page never shifts when receipts are added', async () => {
    const first = await getReceipts(t, circleId, member, { limit: 100 }).expect(200);
    expect(first.body.items.map((r: ReceiptItem) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const second = await getReceipts(t, circleId, member, { limit: 100, cursor: first.body.nextCursor }).expect(200);
    await postAdjustmentsInSql(t, circleId, 5);
    const again = await getReceipts(t, circleId, member, { limit: 100, cursor: first.body.nextCursor }).expect(200);
    expect(again.body.items).toEqual(second.body.items);
    const seqs = (await allReceipts(t, circleId, member, 37)).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 255 }, (_, i) => i + 1));
    // Default page size, and a cursor that names nothing valid is a 400.
    expect((await getReceipts(t, circleId, member).expect(200)).body.items).toHaveLength(50);
    const bad = await getReceipts(t, circleId, member, { cursor: Buffer.from('["x"]').toString('base64url') }).expect(400);
    expect(bad.body.type).toBe('urn:arvut:problem:validation-failed');
  });

  it('serves complete pages from its cache only after the access check, and never caches the last page', async () => {
    // The last, partial page grows as receipts are added, read after read.
    const count = (await allReceipts(t, circleId, member, 100)).length;
    const lastCursor = (await getReceipts(t, circleId, member, { limit: 10, cursor: Buffer.from(JSON.stringify([count - 3])).toString('base64url') }).expect(200)).body;
    expect(lastCursor.items).toHaveLength(3);
    expect(lastCursor.nextCursor).toBeNull();
    await postAdjustmentsInSql(t, circleId, 2);
    const grown = await getReceipts(t, circleId, member, { limit: 10, cursor: Buffer.from(JSON.stringify([count - 3])).toString('base64url') }).expect(200);
    expect(grown.body.items.map((r: ReceiptItem) => r.seq)).toEqual([count - 2, count - 1, count, count + 1, count + 2]);
    // A complete page read twice is the same JSON; the cached copy is still refused to someone removed from the circle.
    const leaving = await addMember(t, circleId, organizer, 'member');
    const first = await getReceipts(t, circleId, leaving, { limit: 20 }).expect(200);
    const again = await getReceipts(t, circleId, leaving, { limit: 20 }).expect(200);
    expect(again.text).toBe(first.text);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.headers.etag).toBe(first.headers.etag);
    await getReceipts(t, circleId, leaving, { limit: 20 }).set('If-None-Match', first.headers.etag).expect(304);
    await t.http().delete(`/v1/circles/${circleId}/members/${leaving.userId}`).set(as(organizer)).expect(204);
    await getReceipts(t, circleId, leaving, { limit: 20 }).expect(404);
    await getReceipts(t, circleId, outsider, { limit: 20 }).expect(404);
  });

  it('is for members only by default: anyone else gets the 404 of a circle that does not exist', async () => {
    await getReceipts(t, circleId, member).expect(200);
    const missing = await getReceipts(t, '00000000-0000-4000-8000-000000000000').expect(404);
    for (const res of [await getReceipts(t, circleId), await getReceipts(t, circleId, outsider)]) {
      expect(res.status).toBe(404);
      expect(withoutRequestId(res.body)).toEqual(withoutRequestId(missing.body));
    }
    await t.http().get(`/v1/circles/${circleId}/receipts/checkpoints`).expect(404);
    // A token that does not verify is refused, never read as anonymous.
    await getReceipts(t, circleId).set('Authorization', 'Bearer not-a-jwt').expect(401);
  });

  it('opens the feed and the checkpoints to anyone when the circle makes receipts public, with anonymous reads rate-limited', async () => {
    const open = await createCircle(t, organizer);
    await postAdjustmentsInSql(t, open, 3);
    await getReceipts(t, open).expect(404);
    await setVisibility(open, 'public');
    expect((await getReceipts(t, open).expect(200)).body.items.map((r: ReceiptItem) => r.seq)).toEqual([1, 2, 3]);
    expect((await getReceipts(t, open, outsider).expect(200)).body.items).toHaveLength(3);
    await t.http().get(`/v1/circles/${open}/receipts/checkpoints`).expect(200);

    // Counted per address and route since this file started (the anonymous 404s above count too).
    let last = await getReceipts(t, open);
    let served = 0;
    for (let i = 0; i <= PUBLIC_READ_LIMIT_PER_MINUTE && last.status === 200; i++, served++) last = await getReceipts(t, open);
    expect(served).toBeGreaterThan(0);
    expect(last.status).toBe(429);
    expect(last.body.type).toBe('urn:arvut:problem:rate-limited');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    // Signed-in readers are not counted against the address.
    await getReceipts(t, open, outsider).expect(200);

    await setVisibility(open, 'members');
    await getReceipts(t, open, outsider).expect(404);
  });

  it('signs the chain head on request (organizer) with a signature that verifies with the published key', async () => {
    await t.http().post(`/v1/circles/${circleId}/receipts/checkpoints`).set(as(treasurer)).expect(403);
    const empty = await createCircle(t, organizer);
    expect((await t.http().post(`/v1/circles/${empty}/receipts/checkpoints`).set(as(organizer)).expect(409)).body.type).toBe('urn:arvut:problem:invalid-state');

    const receipts = await allReceipts(t, circleId, member);
    const created = await t.http().post(`/v1/circles/${circleId}/receipts/checkpoints`).set(as(organizer)).expect(201);
    const head = receipts[receipts.length - 1];
    expect(created.body).toMatchObject({ circleId, seq: head.seq, hash: head.hash });

    const key = await t.http().get('/v1/transparency/public-key').expect(200);
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', keyId: created.body.keyId });
    const publicKey = createPublicKey(key.body.publicKeyPem);
    const statement = { circleId, seq: created.body.seq, hash: created.body.hash, signedAt: created.body.signedAt, keyId: created.body.keyId };
    // Checked with node:crypto directly on the documented bytes, not only with our helper.
    expect(verify(null, Buffer.from(canonicalCheckpoint(statement)), publicKey, Buffer.from(created.body.signature, 'base64'))).toBe(true);
    expect(verifyCheckpoint(publicKey, { ...statement, seq: statement.seq - 1 }, created.body.signature)).toBe(false);
    expect(verifyCheckpoint(publicKey, { ...statement, hash: receipts[0].hash }, created.body.signature)).toBe(false);

    const listed = await t.http().get(`/v1/circles/${circleId}/receipts/checkpoints`).set(as(member)).expect(200);
    expect(listed.body.items).toContainEqual(created.body);
  });

  it('signs hourly only the circles whose chain moved since their last checkpoint', async () => {
    const jobs = t.app.get(JobsService);
    await jobs.runReceiptCheckpoints();
    expect(await jobs.runReceiptCheckpoints()).toBe(0);
    await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 500 });
    expect(await jobs.runReceiptCheckpoints()).toBe(1);
    expect(await jobs.runReceiptCheckpoints()).toBe(0);
    const items: { seq: number; signedAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.http().get(`/v1/circles/${circleId}/receipts/checkpoints`).query({ limit: 1, ...(cursor ? { cursor } : {}) }).set(as(member)).expect(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const head = (await allReceipts(t, circleId, member)).pop()!;
    expect(items[items.length - 1].seq).toBe(head.seq);
    expect(items.map((c) => c.signedAt)).toEqual([...items.map((c) => c.signedAt)].sort());
  });

  it('exports receipts.csv to organizers and treasurers, streamed, with formula cells neutralised', async () => {
    const csvCircle = await createCircle(t, organizer);
    const csvTreasurer = await addMember(t, csvCircle, organizer, 'treasurer');
    const csvMember = await addMember(t, csvCircle, organizer, 'member');
    await t.http().patch(`/v1/circles/${csvCircle}`).set(as(organizer)).set('If-Match', '"1"').send({ showRecipientAliases: true }).expect(200);
    await createRecipient(t, csvCircle, organizer, { alias: '=HYPERLINK("x")' });
    await postAdjustment(t, csvTreasurer, csvCircle, { direction: 'in', amount: 17_500 });
    const cycleId = (await createCycle(t, csvCircle, organizer, { slots: 1, weeks: 2 })).id;
    await activateCycle(t, csvCircle, organizer, cycleId);
    const [payout] = (await generateWeek(t, csvCircle, organizer, cycleId, 1).expect(201)).body.payouts as { id: string }[];
    await payoutAction(t, csvCircle, organizer, payout.id, 'approve').expect(200);
    await sendPayout(t, csvCircle, csvTreasurer, payout.id, { method: 'cash' }).expect(200);

    await t.http().get(`/v1/circles/${csvCircle}/exports/receipts.csv`).set(as(csvMember)).expect(403);
    const res = await t.http().get(`/v1/circles/${csvCircle}/exports/receipts.csv`).set(as(csvTreasurer)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="arvut-receipts-/);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,receipt_id,date,kind,direction,amount_minor,amount,currency,method,cycle_id,week,alias_digest,alias,donor,donor_digest,donor_name,reverses,category,prev_hash,hash');
    expect(lines).toHaveLength(3);
    const receipts = await allReceipts(t, csvCircle, csvMember);
    expect(lines[1].split(',').slice(0, 8)).toEqual(['1', receipts[0].id, receipts[0].date, 'adjustment', 'in', '17500', '175.00', 'USD']);
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[2].endsWith(`${receipts[1].prevHash},${receipts[1].hash}`)).toBe(true);
  });
});
