// Every state machine's history has the same actor columns, held by the same two checks
// (docs/design.md "State machines"; src/common/actor.ts): `actor` is one of user, link,
// provider, job, and `actor_user_id` is set exactly when the actor is a user.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ACTOR_KINDS } from '../../src/common/actor.js';
import { sqlStateOf } from '../support/sqlstate.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const CHECK_VIOLATION = '23514';

/** Each history table with the columns (besides the actor's) a minimal row needs. */
const HISTORIES: { table: string; columns: string; values: () => unknown[] }[] = [
  { table: 'recipient_status_history', columns: 'id, recipient_id, circle_id, to_status, at', values: () => [randomUUID(), randomUUID(), randomUUID(), 'waitlisted', new Date()] },
  { table: 'payout_history', columns: 'payout_id, circle_id, to_status', values: () => [randomUUID(), randomUUID(), 'scheduled'] },
  { table: 'pledge_history', columns: 'pledge_id, circle_id, to_status', values: () => [randomUUID(), randomUUID(), 'pending'] },
  { table: 'contribution_history', columns: 'contribution_id, circle_id, to_status', values: () => [randomUUID(), randomUUID(), 'pending'] },
  { table: 'request_history', columns: 'request_id, circle_id, to_status', values: () => [randomUUID(), randomUUID(), 'submitted'] },
];

describe('state machine histories: one actor shape', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * Inserts one row into `table` with the given actor, as the superuser with triggers off
   * (so the rows need no parents and the checks are the only guard), rolled back either way.
   */
  const insert = async (h: (typeof HISTORIES)[number], actor: string, actorUserId: string | null) => {
    const values = [...h.values(), actor, actorUserId];
    const placeholders = values.map((_v, i) => `$${i + 1}`).join(', ');
    return sqlStateOf(
      t.sql,
      ['SET LOCAL session_replication_role = replica'],
      [`INSERT INTO ${h.table} (${h.columns}, actor, actor_user_id) VALUES (${placeholders})`, values],
      ['ROLLBACK AND CHAIN'],
    );
  };

  it.each(HISTORIES.map((h) => [h.table, h] as const))('%s has from_status, to_status, at, actor and actor_user_id', async (table) => {
    const { rows } = await t.sql.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [table]);
    expect(rows.map((r) => r.column_name)).toEqual(expect.arrayContaining(['from_status', 'to_status', 'at', 'actor', 'actor_user_id']));
  });

  it.each(HISTORIES.map((h) => [h.table, h] as const))('%s takes every actor kind, with a user id exactly for a user', async (_table, h) => {
    for (const kind of ACTOR_KINDS) {
      expect([kind, await insert(h, kind, kind === 'user' ? randomUUID() : null)]).toEqual([kind, undefined]);
    }
  });

  it.each(HISTORIES.map((h) => [h.table, h] as const))('%s refuses a user without an id, an id without a user and an unknown kind', async (_table, h) => {
    expect(await insert(h, 'user', null)).toBe(CHECK_VIOLATION);
    expect(await insert(h, 'job', randomUUID())).toBe(CHECK_VIOLATION);
    expect(await insert(h, 'link', randomUUID())).toBe(CHECK_VIOLATION);
    expect(await insert(h, 'robot', null)).toBe(CHECK_VIOLATION);
  });
});
