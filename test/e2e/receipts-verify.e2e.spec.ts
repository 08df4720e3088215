// `npm run verify-receipts` against a live server (its main function, in-process): a clean
// chain passes; a changed receipt and a removed one are both named, with the first failing
// sequence number; a chain re-hashed after a change is caught by its signed checkpoint.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { runVerifyReceipts } from '../../src/transparency/receipts/verify-receipts-cli.js';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustmentsInSql } from '../support/receipts.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('verify-receipts', () => {
  let t: TestApp;
  let base: string;
  let organizer: TestUser;
  let member: TestUser;

  const verify = async (circleId: string, token?: string): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runVerifyReceipts(['--base-url', base, '--circle', circleId, ...(token ? ['--token', token] : [])], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  /** A circle with `n` receipts and a checkpoint of its head. */
  const signedCircle = async (n: number): Promise<string> => {
    const circleId = await createCircle(t, organizer);
    await addMember(t, circleId, organizer, 'member', member);
    await postAdjustmentsInSql(t, circleId, n);
    await t.http().post(`/v1/circles/${circleId}/receipts/checkpoints`).set('Authorization', bearer(organizer.accessToken)).expect(201);
    return circleId;
  };
  /** Raw SQL with the guards off (triggers do not fire for a replication session). */
  const tamper = async (...statements: [string, unknown[]][]): Promise<void> => {
    const client = await t.sql.connect();
    try {
      await client.query('SET session_replication_role = replica');
      for (const [text, params] of statements) await client.query(text, params);
    } finally {
      await client.query('RESET session_replication_role');
      client.release();
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    // These tests corrupt receipts on purpose; the ledger check at close would (rightly) fail.
    t.allowBrokenLedger();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    organizer = await registerAndLogin(t);
    member = await registerAndLogin(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('passes a clean chain with its checkpoint', async () => {
    const circleId = await signedCircle(12);
    const result = await verify(circleId, member.accessToken);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('12 receipts');
    expect(result.out).toContain('1 checkpoints');
    expect(result.out).toMatch(/^OK/m);
  });

  it('names a changed receipt and a removed one, and the first sequence number that fails', async () => {
    const circleId = await signedCircle(12);
    await tamper(
      ['UPDATE receipts SET amount = amount + 1 WHERE circle_id = $1 AND seq = 4', [circleId]],
      ['DELETE FROM receipts WHERE circle_id = $1 AND seq = 9', [circleId]],
    );
    const result = await verify(circleId, member.accessToken);
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAIL receipt 4 was altered');
    expect(result.out).toContain('FAIL missing receipts: 9');
    expect(result.out).toContain('first failing sequence number: 4');
    expect(result.out).not.toMatch(/^OK/m);
  });

  it('catches a chain re-hashed after a change, and receipts removed from its end, through the signed checkpoint', async () => {
    const circleId = await signedCircle(6);
    // Rewrite receipt 3 and recompute every hash after it, as someone with database access could.
    await tamper(['UPDATE receipts SET amount = 1 WHERE circle_id = $1 AND seq = 3', [circleId]]);
    for (let seq = 3; seq <= 6; seq++) {
      await tamper(
        ['UPDATE receipts r SET prev_hash = p.hash FROM receipts p WHERE r.circle_id = $1 AND r.seq = $2 AND p.circle_id = $1 AND p.seq = $2 - 1', [circleId, seq]],
        [`UPDATE receipts r SET hash = sha256(r.prev_hash || convert_to(receipt_canonical(r), 'UTF8')) WHERE r.circle_id = $1 AND r.seq = $2`, [circleId, seq]],
      );
    }
    const rehashed = await verify(circleId, member.accessToken);
    expect(rehashed.code).toBe(1);
    expect(rehashed.out).toMatch(/FAIL receipt 6 differs from what checkpoint .* signed/);

    const truncated = await signedCircle(5);
    await tamper(['DELETE FROM receipts WHERE circle_id = $1 AND seq >= 4', [truncated]]);
    const result = await verify(truncated, member.accessToken);
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAIL missing receipts: 4–5');
  });

  it('reads a public circle without a token, and cannot run without access', async () => {
    const circleId = await signedCircle(3);
    const denied = await verify(circleId);
    expect(denied.code).toBe(2);
    expect(denied.err).toContain('404');
    const circle = await t.http().get(`/v1/circles/${circleId}`).set('Authorization', bearer(organizer.accessToken)).expect(200);
    await t.http().patch(`/v1/circles/${circleId}`).set('Authorization', bearer(organizer.accessToken)).set('If-Match', circle.headers.etag).send({ receiptVisibility: 'public' }).expect(200);
    expect((await verify(circleId)).code).toBe(0);
    expect((await runVerifyReceipts(['--circle', circleId], { out: () => undefined, err: () => undefined }))).toBe(2);
  });
});
