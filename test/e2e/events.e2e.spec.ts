// The outbox (src/events/): every change that emits an event writes it in its own
// transaction, numbered per circle without gaps, and nothing ever changes it afterwards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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

  it('writes nothing when the change is refused', async () => {
    const before = (await outbox(circleId)).length;
    // The only organizer cannot leave: the refusal rolls back everything, event included.
    await t.http().delete(`/v1/circles/${circleId}/members/${organizer.userId}`).set('Authorization', `Bearer ${organizer.accessToken}`).expect(409);
    expect((await outbox(circleId)).length).toBe(before);
  });

  it('refuses to change or remove an event', async () => {
    await expect(t.sql.query(`UPDATE outbox_events SET data = '{}' WHERE circle_id = $1`, [circleId])).rejects.toThrow(/append-only/);
    await expect(t.sql.query('DELETE FROM outbox_events WHERE circle_id = $1', [circleId])).rejects.toThrow(/append-only/);
    await expect(t.sql.query('TRUNCATE outbox_events')).rejects.toThrow(/append-only/);
  });
});
