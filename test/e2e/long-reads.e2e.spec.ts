// Long reads (the CSV exports and the ledger check) run on their own small pool: a member who
// starts them cannot take the connections every other request needs (docs/security.md,
// "Long reads"). The pool has one connection here, and a superuser's lock on a table an
// export reads (requests, which no money posting touches) holds a long read for as
// long as a test wants.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { Response } from 'supertest';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { authHeader, expectProblem } from '../support/problems.js';
import { createSecondInstance, createTestApp, type TestApp, type TestInstance } from '../support/test-app.js';

describe('long reads', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let organizer2: TestUser;
  let circleId: string;

  const get = (user: TestUser, path: string, on: { http: TestApp['http'] } = t) => on.http().get(`/v1/circles/${circleId}/${path}`).set(authHeader(user));

  /** A superuser's transaction holding `table` locked, so a long read of it waits; release() ends it. */
  async function lockTable(table: string): Promise<{ release(): Promise<void> }> {
    const client: pg.PoolClient = await t.sql.connect();
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return {
      release: async () => {
        await client.query('COMMIT');
        client.release();
      },
    };
  }

  /** Resolves once `n` long-read connections are waiting on a lock (so the pool is held). */
  async function longReadsWaiting(n: number): Promise<void> {
    for (;;) {
      const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'arvut-long-read' AND wait_event_type = 'Lock'`);
      if (rows[0].n >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const expectRetryAfter = (res: Response) => expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);

  beforeAll(async () => {
    t = await createTestApp({ LONG_READ_POOL_SIZE: '1', LONG_READ_ACQUIRE_TIMEOUT_MS: '300', LONG_READ_STATEMENT_TIMEOUT_MS: '120000' });
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    organizer2 = await addMember(t, circleId, organizer, 'organizer');
    for (const amount of [1000, 2500]) expect((await postAdjustment(t, treasurer, circleId, { direction: 'in', amount })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('a second export gets 503 with Retry-After while the pool is held, and ordinary requests go on', async () => {
    const lock = await lockTable('requests');
    const held = get(organizer, 'exports/grants.csv').then((r) => r);
    try {
      await longReadsWaiting(1);
      const second = await get(treasurer, 'exports/ledger.csv');
      expectProblem(second, 503, 'unavailable');
      expectRetryAfter(second);
      const check = await get(organizer2, 'ledger/check');
      expectProblem(check, 503, 'unavailable');
      // The main pool is untouched: reads and money requests are served.
      expect((await get(treasurer, 'ledger/accounts')).status).toBe(200);
      expect((await t.http().get(`/v1/circles/${circleId}`).set(authHeader(organizer))).status).toBe(200);
      expect((await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 700 })).status).toBe(201);
    } finally {
      await lock.release();
    }
    const first = await held;
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/csv/);
    // The connection came back: the next long read gets it.
    expect((await get(treasurer, 'exports/ledger.csv')).status).toBe(200);
    expect((await get(organizer2, 'ledger/check')).body.ok).toBe(true);
  });

  it('one long read at a time per user: a second one of the same user is 429 with Retry-After', async () => {
    const lock = await lockTable('requests');
    const held = get(organizer, 'exports/grants.csv').then((r) => r);
    try {
      await longReadsWaiting(1);
      for (const path of ['exports/ledger.csv', 'exports/receipts.csv', 'ledger/check']) {
        const again = await get(organizer, path);
        expectProblem(again, 429, 'rate-limited');
        expectRetryAfter(again);
      }
    } finally {
      await lock.release();
    }
    expect((await held).status).toBe(200);
    expect((await get(organizer, 'ledger/check')).status).toBe(200);
  });

  it('a client that goes away mid-export gives the connection back', async () => {
    const lock = await lockTable('requests');
    const abandoned = get(organizer, 'exports/grants.csv');
    const gone = new Promise<void>((resolve) => abandoned.on('abort', () => resolve()));
    abandoned.end(() => undefined);
    try {
      await longReadsWaiting(1);
      abandoned.abort();
      await gone;
    } finally {
      await lock.release();
    }
    // Pool size 1: this export is served only if the abandoned one released its connection.
    let next: Response;
    do next = await get(treasurer, 'exports/receipts.csv');
    while (next.status === 503);
    expect(next.status).toBe(200);
  });

  describe('statement_timeout', () => {
    let quick: TestInstance;
    beforeAll(async () => {
      quick = await createSecondInstance(t, { longReads: { ...t.config.longReads, statementTimeoutMs: 300, acquireTimeoutMs: 5_000 } });
    });
    afterAll(async () => {
      await quick?.close();
    });

    it('a read over the timeout ends as a 503 problem, not a 500, and its connection is released', async () => {
      const lock = await lockTable('ledger_transfers');
      try {
        const res = await get(organizer, 'exports/ledger.csv', quick);
        expectProblem(res, 503, 'unavailable');
        expectRetryAfter(res);
        const check = await get(organizer, 'ledger/check', quick);
        expectProblem(check, 503, 'unavailable');
      } finally {
        await lock.release();
      }
      // Pool size 1 on this instance too: served only if the timed-out reads gave their connection back.
      expect((await get(organizer, 'exports/ledger.csv', quick)).status).toBe(200);
      expect((await get(organizer, 'ledger/check', quick)).body.ok).toBe(true);
    });
  });
});
