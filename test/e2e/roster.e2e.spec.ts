import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { createRecipient, transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { RosterService } from '../../src/roster/roster.service.js';
import { TransactionHost } from '../../src/database/transaction-host.js';
import { EventsService } from '../../src/events/events.service.js';
import { authHeader } from '../support/problems.js';

const DAY = 86_400_000;

describe('roster: recipients and their state machine', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let donor: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let circleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    donor = await addMember(t, circleId, organizer, 'donor');
    member = await addMember(t, circleId, organizer, 'member');
  });
  afterAll(async () => {
    await t.close();
  });

  const base = (circle = circleId) => `/v1/circles/${circle}/recipients`;
  const history = async (recipientId: string) =>
    (await t.sql.query('SELECT from_status, to_status, actor, actor_user_id, reason FROM recipient_status_history WHERE recipient_id = $1 ORDER BY at, to_status', [recipientId])).rows;
  const status = async (recipientId: string) => (await t.sql.query('SELECT status FROM recipients WHERE id = $1', [recipientId])).rows[0].status as string;

  it('adds recipients to the waitlist in order of arrival, without vault fields in the answer', async () => {
    const own = await createCircle(t, organizer);
    const res = await t.http().post(base(own)).set(authHeader(organizer)).send({ alias: '  T.  ', contact: 'someone@example.org', payoutHandle: '$someone' }).expect(201);
    expect(res.body).toMatchObject({ alias: 'T.', status: 'waitlisted', position: 1, circleId: own, exitReason: null, offeredUntil: null, erased: false });
    expect(res.headers.location).toBe(`/v1/circles/${own}/recipients/${res.body.id}`);
    expect(Object.keys(res.body)).not.toEqual(expect.arrayContaining(['contact']));
    expect(JSON.stringify(res.body)).not.toMatch(/someone/);
    const second = await createRecipient(t, own, organizer, { alias: 'Neighbour 7' });
    expect(second.position).toBe(2);
    expect(await history(res.body.id)).toEqual([{ from_status: null, to_status: 'waitlisted', actor: 'user', actor_user_id: organizer.userId, reason: 'added' }]);
  });

  it.each([
    [{ alias: '' }, 'alias'],
    [{ alias: '   ' }, 'alias'],
    [{ alias: 'x'.repeat(41) }, 'alias'],
    [{ alias: 'bad\u0007bell' }, 'alias'],
    [{}, 'alias'],
    [{ alias: 'ok', payoutHandle: 'y'.repeat(101) }, 'payoutHandle'],
    [{ alias: 'ok', name: 'Full Name' }, 'name'],
  ])('rejects a bad recipient %j naming the field', async (body, field) => {
    const res = await t.http().post(base()).set(authHeader(organizer)).send(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('walks the whole state machine, recording each step in the history', async () => {
    const r = await createRecipient(t, circleId, organizer);
    const before = Date.now();
    const offered = await transition(t, circleId, organizer, r.id, 'offer', { untilDays: 3 }).expect(200);
    expect(offered.body).toMatchObject({ status: 'offered', position: null });
    expect(Date.parse(offered.body.offeredUntil)).toBeGreaterThanOrEqual(before + 3 * DAY - 1000);
    expect(Date.parse(offered.body.offeredUntil)).toBeLessThanOrEqual(Date.now() + 3 * DAY + 1000);
    const active = await transition(t, circleId, organizer, r.id, 'accept').expect(200);
    expect(active.body).toMatchObject({ status: 'active', offeredUntil: null, activatedAt: expect.any(String) });
    expect((await transition(t, circleId, organizer, r.id, 'pause').expect(200)).body).toMatchObject({ status: 'paused', pausedAt: expect.any(String) });
    expect((await transition(t, circleId, organizer, r.id, 'resume').expect(200)).body).toMatchObject({ status: 'active', pausedAt: null, activatedAt: active.body.activatedAt });
    const exited = await transition(t, circleId, organizer, r.id, 'exit', { reason: 'employed' }).expect(200);
    expect(exited.body).toMatchObject({ status: 'exited', exitReason: 'employed', exitedAt: expect.any(String) });
    const by = organizer.userId;
    expect(await history(r.id)).toEqual([
      { from_status: null, to_status: 'waitlisted', actor: 'user', actor_user_id: by, reason: 'added' },
      { from_status: 'waitlisted', to_status: 'offered', actor: 'user', actor_user_id: by, reason: null },
      { from_status: 'offered', to_status: 'active', actor: 'user', actor_user_id: by, reason: null },
      { from_status: 'active', to_status: 'paused', actor: 'user', actor_user_id: by, reason: null },
      { from_status: 'paused', to_status: 'active', actor: 'user', actor_user_id: by, reason: null },
      { from_status: 'active', to_status: 'exited', actor: 'user', actor_user_id: by, reason: 'employed' },
    ]);
  });

  it('lets an offer be declined (back to the waitlist) or end in an exit', async () => {
    const a = await createRecipient(t, circleId, organizer);
    await transition(t, circleId, organizer, a.id, 'offer', { untilDays: 7 }).expect(200);
    const declined = await transition(t, circleId, organizer, a.id, 'decline').expect(200);
    expect(declined.body).toMatchObject({ status: 'waitlisted', offeredUntil: null, position: expect.any(Number) });
    expect((await history(a.id)).at(-1)).toMatchObject({ from_status: 'offered', to_status: 'waitlisted', reason: 'offer_declined' });

    const b = await createRecipient(t, circleId, organizer);
    await transition(t, circleId, organizer, b.id, 'offer').expect(200);
    const gone = await transition(t, circleId, organizer, b.id, 'exit', { reason: 'no_response' }).expect(200);
    expect(gone.body).toMatchObject({ status: 'exited', exitReason: 'no_response' });
  });

  it('refuses every illegal transition with 409 naming the current state, changing nothing', async () => {
    const waitlisted = await createRecipient(t, circleId, organizer);
    const active = await createRecipient(t, circleId, organizer);
    await transition(t, circleId, organizer, active.id, 'offer').expect(200);
    await transition(t, circleId, organizer, active.id, 'accept').expect(200);
    const exited = await createRecipient(t, circleId, organizer);
    await transition(t, circleId, organizer, exited.id, 'offer').expect(200);
    await transition(t, circleId, organizer, exited.id, 'exit', { reason: 'moved' }).expect(200);

    const cases: [string, string, string, object?][] = [
      [waitlisted.id, 'waitlisted', 'accept'],
      [waitlisted.id, 'waitlisted', 'decline'],
      [waitlisted.id, 'waitlisted', 'pause'],
      [waitlisted.id, 'waitlisted', 'resume'],
      [waitlisted.id, 'waitlisted', 'exit', { reason: 'other' }],
      [active.id, 'active', 'offer'],
      [active.id, 'active', 'accept'],
      [active.id, 'active', 'decline'],
      [active.id, 'active', 'resume'],
      [active.id, 'active', 'waitlist-position', { position: 1 }],
      [exited.id, 'exited', 'offer'],
      [exited.id, 'exited', 'accept'],
      [exited.id, 'exited', 'pause'],
      [exited.id, 'exited', 'resume'],
      [exited.id, 'exited', 'exit', { reason: 'other' }],
    ];
    for (const [id, state, action, body] of cases) {
      const steps = (await history(id)).length;
      const res = await transition(t, circleId, organizer, id, action, body).expect(409);
      expect(res.body).toMatchObject({ type: 'urn:arvut:problem:invalid-state', state: state });
      expect(res.body.detail).toContain(`is ${state}`);
      expect(await status(id)).toBe(state);
      expect(await history(id)).toHaveLength(steps);
    }
  });

  it('refuses to accept an offer that has expired', async () => {
    const r = await createRecipient(t, circleId, organizer);
    await transition(t, circleId, organizer, r.id, 'offer', { untilDays: 1 }).expect(200);
    await t.sql.query(`UPDATE recipients SET offered_until = now() - interval '1 minute' WHERE id = $1`, [r.id]);
    const res = await transition(t, circleId, organizer, r.id, 'accept').expect(409);
    expect(res.body).toMatchObject({ type: 'urn:arvut:problem:invalid-state', state: 'offered' });
    expect(res.body.detail).toMatch(/expired/);
    expect(await status(r.id)).toBe('offered');
  });

  it('returns lapsed offers to their place on the waitlist when the expiry sweep runs', async () => {
    const own = await createCircle(t, organizer);
    const first = await createRecipient(t, own, organizer);
    const second = await createRecipient(t, own, organizer);
    await transition(t, own, organizer, first.id, 'offer', { untilDays: 2 }).expect(200);
    const roster = t.app.get(RosterService);
    const now = Date.now();
    await roster.expireOffers(new Date(now + 1 * DAY));
    expect(await status(first.id)).toBe('offered');
    expect(await roster.expireOffers(new Date(now + 3 * DAY))).toBeGreaterThanOrEqual(1);
    const back = await t.http().get(`${base(own)}/${first.id}`).set(authHeader(organizer)).expect(200);
    expect(back.body).toMatchObject({ status: 'waitlisted', position: 1, offeredUntil: null });
    expect((await t.http().get(`${base(own)}/${second.id}`).set(authHeader(organizer)).expect(200)).body.position).toBe(2);
    expect((await history(first.id)).at(-1)).toEqual({ from_status: 'offered', to_status: 'waitlisted', actor: 'job', actor_user_id: null, reason: 'offer_expired' });
  });

  it('offers the freed slot to the first waitlisted person when an active recipient exits', async () => {
    const own = await createCircle(t, organizer);
    const leaving = await createRecipient(t, own, organizer);
    await transition(t, own, organizer, leaving.id, 'offer').expect(200);
    await transition(t, own, organizer, leaving.id, 'accept').expect(200);
    const next = await createRecipient(t, own, organizer);
    const after = await createRecipient(t, own, organizer);

    const at = Date.now();
    await transition(t, own, organizer, leaving.id, 'exit', { reason: 'employed' }).expect(200);
    const offered = await t.http().get(`${base(own)}/${next.id}`).set(authHeader(organizer)).expect(200);
    expect(offered.body.status).toBe('offered');
    expect(Date.parse(offered.body.offeredUntil)).toBeGreaterThanOrEqual(at + 7 * DAY - 1000);
    expect(Date.parse(offered.body.offeredUntil)).toBeLessThanOrEqual(Date.now() + 7 * DAY + 1000);
    expect((await history(next.id)).at(-1)).toEqual({ from_status: 'waitlisted', to_status: 'offered', actor: 'user', actor_user_id: organizer.userId, reason: 'slot_freed' });
    expect((await t.http().get(`${base(own)}/${after.id}`).set(authHeader(organizer)).expect(200)).body).toMatchObject({ status: 'waitlisted', position: 1 });

    // Leaving from an offer or a pause frees no slot of the roster's own: nobody else is offered.
    await transition(t, own, organizer, next.id, 'exit', { reason: 'no_response' }).expect(200);
    expect(await status(after.id)).toBe('waitlisted');
  });

  it('reorders the waitlist, and the freed slot follows the new order', async () => {
    const own = await createCircle(t, organizer);
    const holder = await createRecipient(t, own, organizer, { alias: 'holder' });
    await transition(t, own, organizer, holder.id, 'offer').expect(200);
    await transition(t, own, organizer, holder.id, 'accept').expect(200);
    const w = [];
    for (const alias of ['w1', 'w2', 'w3', 'w4']) w.push(await createRecipient(t, own, organizer, { alias }));
    const order = async () => (await t.http().get(`${base(own)}?status=waitlisted`).set(authHeader(organizer)).expect(200)).body.items.map((r: { alias: string; position: number }) => `${r.position}:${r.alias}`);
    expect(await order()).toEqual(['1:w1', '2:w2', '3:w3', '4:w4']);

    const moved = await t.http().post(`${base(own)}/${w[3].id}/waitlist-position`).set(authHeader(organizer)).send({ position: 1 }).expect(200);
    expect(moved.body.position).toBe(1);
    expect(await order()).toEqual(['1:w4', '2:w1', '3:w2', '4:w3']);
    await t.http().post(`${base(own)}/${w[3].id}/waitlist-position`).set(authHeader(organizer)).send({ position: 3 }).expect(200);
    expect(await order()).toEqual(['1:w1', '2:w2', '3:w4', '4:w3']);
    await t.http().post(`${base(own)}/${w[0].id}/waitlist-position`).set(authHeader(organizer)).send({ position: 4 }).expect(200);
    expect(await order()).toEqual(['1:w2', '2:w4', '3:w3', '4:w1']);

    await t.http().post(`${base(own)}/${w[0].id}/waitlist-position`).set(authHeader(organizer)).send({ position: 5 }).expect(400);
    await t.http().post(`${base(own)}/${w[0].id}/waitlist-position`).set(authHeader(organizer)).send({ position: 0 }).expect(400);
    const own2Treasurer = await addMember(t, own, organizer, 'treasurer');
    await t.http().post(`${base(own)}/${w[0].id}/waitlist-position`).set(authHeader(own2Treasurer)).send({ position: 1 }).expect(403);

    // A declined offer returns the person to their place, not to the end.
    await transition(t, own, organizer, w[1].id, 'offer').expect(200);
    expect(await order()).toEqual(['1:w4', '2:w3', '3:w1']);
    await transition(t, own, organizer, w[1].id, 'decline').expect(200);
    expect(await order()).toEqual(['1:w2', '2:w4', '3:w3', '4:w1']);

    await transition(t, own, organizer, holder.id, 'exit', { reason: 'moved' }).expect(200);
    expect(await status(w[1].id)).toBe('offered');
    expect(await order()).toEqual(['1:w4', '2:w3', '3:w1']);
  });

  it('renames a recipient (organizer only), trimming the alias', async () => {
    const r = await createRecipient(t, circleId, organizer);
    const res = await t.http().patch(`${base()}/${r.id}`).set(authHeader(organizer)).send({ alias: ' N. 12 ' }).expect(200);
    expect(res.body.alias).toBe('N. 12');
    await t.http().patch(`${base()}/${r.id}`).set(authHeader(organizer)).send({ alias: 'z'.repeat(41) }).expect(400);
    await t.http().patch(`${base()}/${r.id}`).set(authHeader(treasurer)).send({ alias: 'Mine' }).expect(403);
    expect((await t.http().get(`${base()}/${r.id}`).set(authHeader(treasurer)).expect(200)).body.alias).toBe('N. 12');
  });

  it('shows the roster to organizers and treasurers only; strangers cannot tell it exists', async () => {
    const r = await createRecipient(t, circleId, organizer);
    await t.http().get(base()).set(authHeader(treasurer)).expect(200);
    await t.http().get(`${base()}/${r.id}`).set(authHeader(treasurer)).expect(200);
    await transition(t, circleId, treasurer, r.id, 'offer').expect(403);
    await t.http().post(base()).set(authHeader(treasurer)).send({ alias: 'x' }).expect(403);
    for (const u of [donor, member]) {
      const res = await t.http().get(base()).set(authHeader(u)).expect(403);
      expect(res.body.type).toBe('urn:arvut:problem:forbidden');
      await t.http().get(`${base()}/${r.id}`).set(authHeader(u)).expect(403);
    }
    const foreign = await t.http().get(`${base()}/${r.id}`).set(authHeader(outsider)).expect(404);
    const missing = await t.http().get(`${base()}/${randomUUID()}`).set(authHeader(organizer)).expect(404);
    expect(foreign.body.type).toBe(missing.body.type);
    await t.http().get(base()).set(authHeader(outsider)).expect(404);
    await transition(t, circleId, outsider, r.id, 'offer').expect(404);
    // A recipient of another circle is not reachable through this one.
    const other = await createCircle(t, organizer);
    await t.http().get(`${base(other)}/${r.id}`).set(authHeader(organizer)).expect(404);
    await transition(t, other, organizer, r.id, 'offer').expect(404);
    expect(await status(r.id)).toBe('waitlisted');
    await t.http().get(`${base()}/not-a-uuid`).set(authHeader(organizer)).expect(404);
  });

  it('filters by status and pages with a cursor', async () => {
    const own = await createCircle(t, organizer);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createRecipient(t, own, organizer)).id);
    await transition(t, own, organizer, ids[2], 'offer').expect(200);
    const offered = await t.http().get(`${base(own)}?status=offered`).set(authHeader(organizer)).expect(200);
    expect(offered.body.items.map((r: { id: string }) => r.id)).toEqual([ids[2]]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http().get(`${base(own)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(authHeader(organizer)).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const waitPage = await t.http().get(`${base(own)}?status=waitlisted&limit=1`).set(authHeader(organizer)).expect(200);
    await t.http().get(`${base(own)}?cursor=${waitPage.body.nextCursor}`).set(authHeader(organizer)).expect(400);
    await t.http().get(`${base(own)}?status=gone`).set(authHeader(organizer)).expect(400);
    await t.http().get(`${base(own)}?limit=500`).set(authHeader(organizer)).expect(400);
  });

  it('lets only one of two racing transitions through: the UPDATE is guarded by the expected status', async () => {
    const r = await createRecipient(t, circleId, organizer);
    await transition(t, circleId, organizer, r.id, 'offer').expect(200);
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Hold the accept's transaction open after its UPDATE, so the decline reads the old state.
    t.app.get(EventsService).on('recipient.active', async ({ data }) => {
      if (data.recipientId !== r.id) return;
      entered();
      await gate;
    });
    const accepting = transition(t, circleId, organizer, r.id, 'accept').then((res) => res);
    await inside;
    const declining = transition(t, circleId, organizer, r.id, 'decline').then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    const [accepted, declined] = await Promise.all([accepting, declining]);
    expect(accepted.status).toBe(200);
    expect(declined.status).toBe(409);
    expect(declined.body.state).toBe('active');
    expect(await status(r.id)).toBe('active');
    expect((await history(r.id)).map((h) => h.to_status)).toEqual(['waitlisted', 'offered', 'active']);
  });

  it('keeps the status history append-only, even against raw SQL', async () => {
    const r = await createRecipient(t, circleId, organizer);
    await expect(t.sql.query(`UPDATE recipient_status_history SET to_status = 'active' WHERE recipient_id = $1`, [r.id])).rejects.toThrow(/append-only/);
    await expect(t.sql.query('DELETE FROM recipient_status_history WHERE recipient_id = $1', [r.id])).rejects.toThrow(/append-only/);
    await expect(t.sql.query('TRUNCATE recipient_status_history CASCADE')).rejects.toThrow(/append-only/);
    expect(await history(r.id)).toHaveLength(1);
  });

  describe('the contract for cycles', () => {
    it('runs event handlers inside the transition: a handler that throws rolls it back', async () => {
      const manager = () => t.app.get(TransactionHost).manager;
      const own = await createCircle(t, organizer);
      const seen: { from: string | null; to: string }[] = [];
      const r = await createRecipient(t, own, organizer);
      t.app.get(EventsService).on(['recipient.offered', 'recipient.active'], async ({ data, occurredAt }) => {
        if (data.recipientId !== r.id) return;
        seen.push({ from: data.from, to: data.to });
        expect(occurredAt).toBeInstanceOf(Date);
        // The handler sees the transition's own uncommitted write: it runs in the same transaction.
        const [row] = await manager().query('SELECT status FROM recipients WHERE id = $1', [r.id]);
        expect(row.status).toBe(data.to);
        if (data.to === 'active') throw new DomainError('conflict', 'no slot in this test');
      });
      await transition(t, own, organizer, r.id, 'offer').expect(200);
      await transition(t, own, organizer, r.id, 'accept').expect(409);
      expect(seen).toEqual([
        { from: 'waitlisted', to: 'offered' },
        { from: 'offered', to: 'active' },
      ]);
      expect(await status(r.id)).toBe('offered');
      expect((await history(r.id)).map((h) => h.to_status)).toEqual(['waitlisted', 'offered']);
    });

    it('lists slot candidates (active, offered, waitlisted in queue order) and activates from the queue', async () => {
      const roster = t.app.get(RosterService);
      const own = await createCircle(t, organizer);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await createRecipient(t, own, organizer)).id);
      await transition(t, own, organizer, ids[3], 'offer').expect(200);
      await transition(t, own, organizer, ids[4], 'offer').expect(200);
      await transition(t, own, organizer, ids[4], 'accept').expect(200);
      await transition(t, own, organizer, ids[5], 'offer').expect(200);
      await transition(t, own, organizer, ids[5], 'accept').expect(200);
      await transition(t, own, organizer, ids[5], 'pause').expect(200);
      await transition(t, own, organizer, ids[0], 'offer').expect(200);
      await transition(t, own, organizer, ids[0], 'exit', { reason: 'other' }).expect(200);
      expect(await roster.listForSlots(own)).toEqual([
        { id: ids[4], status: 'active', position: null },
        { id: ids[3], status: 'offered', position: null },
        { id: ids[1], status: 'waitlisted', position: 1 },
        { id: ids[2], status: 'waitlisted', position: 2 },
      ]);
      await roster.activate(own, ids[1], organizer.userId);
      await roster.activate(own, ids[3], organizer.userId);
      expect(await status(ids[1])).toBe('active');
      expect(await status(ids[3])).toBe('active');
      expect((await history(ids[1])).at(-1)).toEqual({ from_status: 'waitlisted', to_status: 'active', actor: 'user', actor_user_id: organizer.userId, reason: 'cycle_activation' });
      await expect(roster.activate(own, ids[5], organizer.userId)).rejects.toMatchObject({ code: 'invalid-state' });
      await expect(roster.activate(own, ids[2], treasurer.userId)).rejects.toMatchObject({ code: 'not-found' });
    });
  });
});
