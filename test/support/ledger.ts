import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { bearer } from './auth.js';
import type { TestUser } from './circles.js';
import type { TestApp } from './test-app.js';

export type AdjustmentBody = { direction: 'in' | 'out'; amount: number; memo?: string };

/** POST …/ledger/adjustments with a fresh Idempotency-Key unless one is given. */
export function postAdjustment(t: TestApp, user: TestUser, circleId: string, body: AdjustmentBody, key: string = randomUUID()): Test {
  return t.http().post(`/v1/circles/${circleId}/ledger/adjustments`).set('Authorization', bearer(user.accessToken)).set('Idempotency-Key', key).send(body);
}

/** POST …/ledger/transfers/{id}/reversal with a fresh Idempotency-Key unless one is given. */
export function postReversal(t: TestApp, user: TestUser, circleId: string, transferId: string, key: string = randomUUID()): Test {
  return t.http().post(`/v1/circles/${circleId}/ledger/transfers/${transferId}/reversal`).set('Authorization', bearer(user.accessToken)).set('Idempotency-Key', key).send({});
}

/** Balances by account kind, as the API shows them. */
export async function balances(t: TestApp, user: TestUser, circleId: string): Promise<Record<string, number>> {
  const res = await t.http().get(`/v1/circles/${circleId}/ledger/accounts`).set('Authorization', bearer(user.accessToken));
  if (res.status !== 200) throw new Error(`accounts failed: ${res.status} ${JSON.stringify(res.body)}`);
  return Object.fromEntries((res.body.accounts as { kind: string; balance: number }[]).map((a) => [a.kind, a.balance]));
}

/** The ledger check of one circle through the API. */
export async function checkLedger(t: TestApp, user: TestUser, circleId: string): Promise<{ ok: boolean; results: { name: string; ok: boolean; offendingIds: string[] }[] }> {
  const res = await t.http().get(`/v1/circles/${circleId}/ledger/check`).set('Authorization', bearer(user.accessToken));
  if (res.status !== 200) throw new Error(`check failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
