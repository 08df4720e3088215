// The outbox (src/events/): every change that emits an event writes it in its own
// transaction, numbered per circle without gaps, and nothing ever changes it afterwards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { EventsService } from '../../src/events/events.service.js';
import { adjustmentEntries } from '../../src/ledger/adjustment-entries.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { addRecipients } from '../support/payouts.js';
import { transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('domain events in the outbox', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;

  const outbox = async (id: string): Promise<{ sequence: string; type: string; data: Record<string, unknown> }[]> =>
    (await t.sql.query('SELECT sequence::text, type, data FROM outbox_events e WHERE circle_id = $1 ORDER BY e.sequence', [id])).rows;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records a new circle, its organizer, members and recipients in order', async () => {
    const treasurer = await addMember(t, circleId, organizer, 'treasurer');
    const [recipientId] = await addRecipients(t, circleId, organizer, 1);
    await transition(t, circleId, organizer, recipientId, 'offer', { untilDays: 3 }).expect(200);
    const events = await outbox(circleId);
    expect(events.map((e) => [Number(e.sequence), e.type])).toEqual([
      [1, 'circle.created'],
      [2, 'member.joined'],
      [3, 'member.joined'],
      [4, 'recipient.waitlisted'],
      [5, 'recipient.offered'],
    ]);
    expect(events[2].data).toEqual({ userId: treasurer.userId, role: 'treasurer' });
    expect(events[4].data).toMatchObject({ recipientId, from: 'waitlisted', to: 'offered' });
  });

  it('numbers concurrent events of one circle 1, 2, 3, … with no gap and no repeat', async () => {
    const other = await createCircle(t, organizer);
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => postAdjustment(t, organizer, other, { direction: 'in', amount: 100 + i })));
    for (const res of responses) expect(res.status).toBe(201);
    const events = await outbox(other);
    expect(events.map((e) => Number(e.sequence))).toEqual(events.map((_, i) => i + 1));
    const receipts = events.filter((e) => e.type === 'receipt.published');
    expect(receipts).toHaveLength(12);
    // The receipt events follow the receipt chain's own order.
    expect(receipts.map((e) => e.data.sequence)).toEqual(receipts.map((_, i) => i + 1));
  });

  it('publishes each receipt of a posting from the posting\'s own statement, with its figures and the posting\'s time', async () => {
    const other = await createCircle(t, organizer);
    const res = await postAdjustment(t, organizer, other, { direction: 'in', amount: 4321 }).expect(201);
    const published = (
      await t.sql.query(
        `SELECT e.data, e.occurred_at = date_trunc('milliseconds', t.created_at) AS at_posting
           FROM outbox_events e JOIN ledger_transfers t ON t.id = (e.data->>'transferId')::uuid
          WHERE e.circle_id = $1 AND e.type = 'receipt.published'`,
        [other],
      )
    ).rows;
    const receipt = (await t.sql.query("SELECT id, seq::int AS seq, kind, amount::int AS amount, encode(hash, 'hex') AS hash FROM receipts WHERE transfer_id = $1", [res.body.id])).rows[0];
    expect(published).toEqual([
      { data: { receiptId: receipt.id, sequence: receipt.seq, kind: receipt.kind, amount: 4321, hash: receipt.hash, transferId: res.body.id }, at_posting: true },
    ]);
    expect(receipt.amount).toBe(4321);
    // Posting under the same transfer id again returns the original and publishes nothing more.
    const ledger = t.app.get(LedgerService);
    const again = await ledger.post({ transferId: res.body.id, circleId: other, kind: 'adjustment', memo: null, entries: adjustmentEntries('in', 4321n), metadata: { direction: 'in' } });
    expect(again.id).toBe(res.body.id);
    expect((await outbox(other)).filter((e) => e.type === 'receipt.published')).toHaveLength(1);
  });

  it('writes nothing when the change is refused', async () => {
    const before = (await outbox(circleId)).length;
    // The only organizer cannot leave: the refusal rolls back everything, event included.
    await t.http().delete(`/v1/circles/${circleId}/members/${organizer.userId}`).set('Authorization', `Bearer ${organizer.accessToken}`).expect(409);
    expect((await outbox(circleId)).length).toBe(before);
  });

  it('an event appended without waiting still decides the commit: a failed append rolls the change back, with its own error', async () => {
    const tx = t.app.get(TransactionHost);
    const events = t.app.get(EventsService);
    const marker = `rollback-${Date.now()}`;
    const run = (queryAndCommit: boolean) =>
      tx.run(async (manager) => {
        await manager.query(`UPDATE circles SET name = $2 WHERE id = $1`, [circleId, marker]);
        // No such circle: the outbox's foreign key refuses the append, after it was sent.
        await events.emit('member.left', '00000000-0000-4000-8000-000000000000', { userId: organizer.userId, role: 'member' });
        if (queryAndCommit) await tx.queryAndCommit('SELECT 1', []);
      });
    for (const viaQueryAndCommit of [false, true]) {
      await expect(run(viaQueryAndCommit)).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23503' }) });
      const { rows } = await t.sql.query('SELECT name FROM circles WHERE id = $1', [circleId]);
      expect([viaQueryAndCommit, rows[0].name]).not.toEqual([viaQueryAndCommit, marker]);
    }
  });

  it('refuses to change or remove an event', async () => {
    await expect(t.sql.query(`UPDATE outbox_events SET data = '{}' WHERE circle_id = $1`, [circleId])).rejects.toMatchObject({ code: 'AR130', message: expect.stringMatching(/on outbox_events is not allowed/) });
    await expect(t.sql.query('DELETE FROM outbox_events WHERE circle_id = $1', [circleId])).rejects.toMatchObject({ code: 'AR130', message: expect.stringMatching(/on outbox_events is not allowed/) });
    await expect(t.sql.query('TRUNCATE outbox_events')).rejects.toMatchObject({ code: 'AR130', message: expect.stringMatching(/on outbox_events is not allowed/) });
  });

  describe('the polling feed', () => {
    const feed = (user: TestUser, id: string, query = '') => t.http().get(`/v1/circles/${id}/events${query}`).set('Authorization', `Bearer ${user.accessToken}`);

    it('pages through the events in order with after and nextAfter, and says when it is caught up', async () => {
      const all = await outbox(circleId);
      const seen: number[] = [];
      let after = 0;
      for (;;) {
        const page = await feed(organizer, circleId, `?after=${after}&limit=2`).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        for (const item of page.body.items) {
          expect(item).toEqual({ id: expect.any(String), type: expect.any(String), timestamp: expect.any(String), circleId, sequence: expect.any(Number), data: expect.any(Object) });
          seen.push(item.sequence);
        }
        after = page.body.nextAfter;
        if (!page.body.hasMore) break;
      }
      expect(seen).toEqual(all.map((e) => Number(e.sequence)));
      const caughtUp = await feed(organizer, circleId, `?after=${after}`).expect(200);
      expect(caughtUp.body).toEqual({ items: [], nextAfter: after, hasMore: false });
    });

    it('shows members only the events of what members may read; treasurers see the roster and the money', async () => {
      const member = await addMember(t, circleId, organizer, 'member');
      const treasurer = await addMember(t, circleId, organizer, 'treasurer');
      const types = async (user: TestUser) => new Set((await feed(user, circleId, '?limit=100').expect(200)).body.items.map((e: { type: string }) => e.type));
      const forMember = await types(member);
      expect(forMember.has('member.joined')).toBe(true);
      expect(forMember.has('recipient.waitlisted')).toBe(false);
      expect(forMember.has('recipient.offered')).toBe(false);
      const forTreasurer = await types(treasurer);
      expect(forTreasurer.has('recipient.waitlisted')).toBe(true);
    });

    it('answers a bad after or limit with 400, and a circle of others with 404', async () => {
      for (const q of ['?after=-1', '?after=abc', '?after=1.5', '?limit=0', '?after=99999999999999999']) {
        const res = await feed(organizer, circleId, q).expect(400);
        expect(res.body.type).toBe('urn:arvut:problem:validation-failed');
      }
      const stranger = await registerAndLogin(t);
      await feed(stranger, circleId).expect(404);
    });
  });
});
