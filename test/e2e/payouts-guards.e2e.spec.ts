// The database's own guards for cycles and payouts, tried with raw SQL that skips the app.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { activateCycle, addRecipients, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type PgError = Error & { code?: string; constraint?: string };

async function sqlError(t: TestApp, text: string, values: unknown[] = []): Promise<PgError> {
  try {
    await t.sql.query(text, values);
  } catch (error) {
    return error as PgError;
  }
  throw new Error(`expected the database to refuse: ${text}`);
}

describe('cycle and payout guards in the database', () => {
  let t: TestApp;
  let organizer: TestUser;
  let circleId: string;
  let cycleId: string;
  let recipients: string[];
  let payoutId: string;
  let otherPayoutId: string;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    recipients = await addRecipients(t, circleId, organizer, 3);
    cycleId = (await createCycle(t, circleId, organizer, { slots: 2, weeks: 4 })).id;
    await activateCycle(t, circleId, organizer, cycleId);
    const week1 = await generateWeek(t, circleId, organizer, cycleId, 1).expect(201);
    payoutId = week1.body.payouts[0].id;
    otherPayoutId = week1.body.payouts[1].id;
  });
  afterAll(async () => {
    await t.close();
  });

  const insertPayout = (recipientId: string, week: number) =>
    t.sql.query(
      `INSERT INTO payouts (id, circle_id, cycle_id, recipient_id, week, payout_date, amount, currency)
       VALUES ($1, $2, $3, $4, $5, '2026-03-06', 17500, 'USD')`,
      [randomUUID(), circleId, cycleId, recipientId, week],
    );
  const insertAssignment = (recipientId: string, slotNo: number, fromWeek: number, toWeek: number | null, held: boolean) =>
    t.sql.query(
      `INSERT INTO slot_assignments (id, circle_id, cycle_id, slot_no, recipient_id, from_week, to_week, held)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [randomUUID(), circleId, cycleId, slotNo, recipientId, fromWeek, toWeek, held],
    );

  it('allows at most one payout per (cycle, recipient, week) (invariant 5)', async () => {
    const { rows } = await t.sql.query<{ recipient_id: string }>('SELECT recipient_id FROM payouts WHERE id = $1', [payoutId]);
    await expect(insertPayout(rows[0].recipient_id, 1)).rejects.toMatchObject({ code: '23505', constraint: 'uq_payouts_cycle_recipient_week' });
    await insertPayout(rows[0].recipient_id, 3); // another week is fine
  });

  it('keeps slot numbers within the cycle\'s slots (invariant 7)', async () => {
    await expect(insertAssignment(recipients[2], 3, 2, null, true)).rejects.toMatchObject({ code: '23514', constraint: 'slot_assignments_within_slots' });
    const shrink = await sqlError(t, 'UPDATE cycles SET slots = 1 WHERE id = $1', [cycleId]);
    expect(shrink).toMatchObject({ code: '23514', constraint: 'slot_assignments_within_slots' });
  });

  it('lets only one recipient hold a slot, even while its holder is paused (invariant 7)', async () => {
    // Slot 1's holder is paused after week 1: paid through week 1, slot still held.
    await t.sql.query('UPDATE slot_assignments SET to_week = 1 WHERE cycle_id = $1 AND slot_no = 1', [cycleId]);
    await expect(insertAssignment(recipients[2], 1, 2, null, true)).rejects.toMatchObject({ code: '23505', constraint: 'uq_slot_assignments_held_slot' });
  });

  it('never lets two assignments of one slot cover the same week (invariant 7)', async () => {
    // Not held (an ended assignment), so only the week ranges can refuse it: week 1 is slot 1's.
    await expect(insertAssignment(recipients[2], 1, 1, 1, false)).rejects.toMatchObject({ code: '23514', constraint: 'slot_assignments_weeks_disjoint' });
    await expect(insertAssignment(recipients[2], 2, 4, 4, false)).rejects.toMatchObject({ code: '23514', constraint: 'slot_assignments_weeks_disjoint' });
    // A range before the holder's first week would be fine — here there is none (week 1 is theirs).
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM slot_assignments WHERE cycle_id = $1', [cycleId]);
    expect(rows[0].n).toBe(2);
  });

  it('keeps the payout history append-only', async () => {
    expect(await sqlError(t, `UPDATE payout_history SET to_status = 'sent' WHERE payout_id = $1`, [payoutId])).toMatchObject({ code: 'AR501' });
    expect(await sqlError(t, 'DELETE FROM payout_history WHERE payout_id = $1', [payoutId])).toMatchObject({ code: 'AR501' });
    expect(await sqlError(t, 'TRUNCATE payout_history CASCADE')).toMatchObject({ code: 'AR501' });
  });

  it('holds the payout state machine and what a payout is', async () => {
    expect(await sqlError(t, 'UPDATE payouts SET amount = 1 WHERE id = $1', [payoutId])).toMatchObject({ code: 'AR502' });
    expect(await sqlError(t, `UPDATE payouts SET recipient_id = $2 WHERE id = $1`, [payoutId, recipients[2]])).toMatchObject({ code: 'AR502' });
    expect(await sqlError(t, `UPDATE payouts SET status = 'acknowledged' WHERE id = $1`, [payoutId])).toMatchObject({ code: 'AR502' });
    expect(await sqlError(t, 'DELETE FROM payouts WHERE id = $1', [payoutId])).toMatchObject({ code: 'AR502' });
    // Sent without a ledger posting: refused even along a legal transition.
    await payoutAction(t, circleId, organizer, payoutId, 'approve').expect(200);
    expect(await sqlError(t, `UPDATE payouts SET status = 'sent', method = 'cash' WHERE id = $1`, [payoutId])).toMatchObject({ code: '23514', constraint: 'ck_payouts_sent_posted' });
  });

  it('lets only a sent payout take a new acknowledgement link, without a status change', async () => {
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 17500 })).status).toBe(201);
    await payoutAction(t, circleId, organizer, otherPayoutId, 'approve').expect(200);
    await sendPayout(t, circleId, organizer, otherPayoutId).expect(200);
    const newLink = `UPDATE payouts SET ack_token_hash = $2, ack_expires_at = now() + interval '1 day' WHERE id = $1`;
    const replaced = await t.sql.query(newLink, [otherPayoutId, 'b'.repeat(64)]);
    expect(replaced.rowCount).toBe(1);
    const { rows } = await t.sql.query('SELECT status, ack_token_hash FROM payouts WHERE id = $1', [otherPayoutId]);
    expect(rows[0]).toEqual({ status: 'sent', ack_token_hash: 'b'.repeat(64) });
    // Everything else stays refused on the sent payout…
    expect(await sqlError(t, 'UPDATE payouts SET amount = 1 WHERE id = $1', [otherPayoutId])).toMatchObject({ code: 'AR502' });
    expect(await sqlError(t, `UPDATE payouts SET status = 'approved' WHERE id = $1`, [otherPayoutId])).toMatchObject({ code: 'AR502' });
    // …and a link for money not out (approved), or no longer out for a recipient to confirm, is refused.
    expect(await sqlError(t, newLink, [payoutId, 'c'.repeat(64)])).toMatchObject({ code: 'AR502' });
    await t.sql.query(`UPDATE payouts SET status = 'acknowledged', acknowledged_at = now() WHERE id = $1`, [otherPayoutId]);
    expect(await sqlError(t, newLink, [otherPayoutId, 'd'.repeat(64)])).toMatchObject({ code: 'AR502' });
  });

  it('records a link issue in the history only as such: for a sent payout that stays sent', async () => {
    const history = (event: string, from: string | null, to: string) =>
      sqlError(t, "INSERT INTO payout_history (circle_id, payout_id, event, from_status, to_status, actor) VALUES ($1, $2, $3, $4, $5, 'job')", [circleId, payoutId, event, from, to]);
    expect(await history('acknowledgement_link_issued', 'approved', 'sent')).toMatchObject({ code: '23514', constraint: 'ck_payout_history_event' });
    expect(await history('status_change', 'sent', 'sent')).toMatchObject({ code: '23514', constraint: 'ck_payout_history_event' });
    expect(await history('reminder', 'sent', 'sent')).toMatchObject({ code: '23514', constraint: 'ck_payout_history_event' });
  });

  it('allows one active cycle per circle', async () => {
    const other = await createCycle(t, circleId, organizer);
    expect(await sqlError(t, `UPDATE cycles SET status = 'active' WHERE id = $1`, [other.id])).toMatchObject({ code: '23505', constraint: 'uq_cycles_one_active_per_circle' });
  });
});
