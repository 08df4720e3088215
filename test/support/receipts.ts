import type { Response, Test } from 'supertest';
import type { ReceiptResponse } from '../../src/transparency/receipts/dto/receipt.response.js';
import { bearer } from './auth.js';
import type { TestUser } from './circles.js';
import type { TestApp } from './test-app.js';

/** A receipt as the feed returns it. */
export type ReceiptItem = ReceiptResponse;

/** GET …/receipts as `user` (anonymous when undefined). */
export function getReceipts(t: TestApp, circleId: string, user?: TestUser, query: Record<string, string | number> = {}): Test {
  const req = t.http().get(`/v1/circles/${circleId}/receipts`).query(query);
  return user ? req.set('Authorization', bearer(user.accessToken)) : req;
}

/** Every receipt of the circle, following nextCursor; fails loudly on anything but 200. */
export async function allReceipts(t: TestApp, circleId: string, user?: TestUser, limit = 100): Promise<ReceiptItem[]> {
  const items: ReceiptItem[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await getReceipts(t, circleId, user, { limit, ...(cursor ? { cursor } : {}) });
    if (res.status !== 200) throw new Error(`list receipts failed: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...(res.body.items as ReceiptItem[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

/** Posts `n` small adjustments straight through ledger_post, one statement: quick receipts for feed tests. */
export async function postAdjustmentsInSql(t: TestApp, circleId: string, n: number, amount = 100): Promise<void> {
  const entries = JSON.stringify([{ account: 'pool', amount }, { account: 'adjustments', amount: -amount }]);
  await t.sql.query(`SELECT count(ledger_post(gen_random_uuid(), $1, 'adjustment', $2::jsonb, NULL, NULL, '{"direction":"in"}'::jsonb)) FROM generate_series(1, $3::int)`, [circleId, entries, n]);
}
