import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { ACCOUNT_KINDS, normalBalance, type AccountKind } from '../../src/ledger/account-kind.js';
import { runLedgerCheck } from '../../src/ledger/ledger-check.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { PostedTransfer } from '../../src/ledger/ledger-types.js';
import { registerAndLogin } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment, postReversal, type AdjustmentBody } from '../support/ledger.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Random sequences of postings, reversals and retries (through LedgerService and through
// HTTP with Idempotency-Keys) against an in-memory model of one circle's books.

type Op =
  | { type: 'post'; accounts: AccountKind[]; amounts: number[] }
  | { type: 'retry'; pick: number; amounts: number[] }
  | { type: 'reverse'; pick: number }
  | { type: 'adjust'; direction: 'in' | 'out'; amount: number }
  | { type: 'replay'; pick: number }
  | { type: 'reuse'; pick: number; delta: number }
  | { type: 'httpReverse'; pick: number };

const amount = fc.integer({ min: -3000, max: 3000 }).filter((n) => n !== 0);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant('post' as const), accounts: fc.shuffledSubarray([...ACCOUNT_KINDS], { minLength: 2, maxLength: 4 }), amounts: fc.array(amount, { minLength: 3, maxLength: 3 }) }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('retry' as const), pick: fc.nat(), amounts: fc.array(amount, { minLength: 3, maxLength: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('reverse' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('adjust' as const), direction: fc.constantFrom('in' as const, 'out' as const), amount: fc.integer({ min: 1, max: 6000 }) }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('replay' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('reuse' as const), pick: fc.nat(), delta: fc.integer({ min: 1, max: 50 }) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('httpReverse' as const), pick: fc.nat() }), weight: 1 },
);

interface ModelTransfer {
  id: string;
  entries: Map<AccountKind, bigint>;
  reversal: boolean;
  reversed: boolean;
  doc?: PostedTransfer;
}
interface StoredKey {
  key: string;
  path: 'adjust' | 'reverse';
  body: AdjustmentBody | string;
  text: string;
}

class Books {
  readonly debit = new Map<AccountKind, bigint>(ACCOUNT_KINDS.map((k) => [k, 0n]));
  readonly credit = new Map<AccountKind, bigint>(ACCOUNT_KINDS.map((k) => [k, 0n]));
  readonly version = new Map<AccountKind, bigint>(ACCOUNT_KINDS.map((k) => [k, 0n]));
  readonly transfers: ModelTransfer[] = [];
  readonly keys: StoredKey[] = [];

  pool(): bigint {
    return this.debit.get('pool')! - this.credit.get('pool')!;
  }
  /** Whether the entries would keep the pool at or above zero. */
  affordable(entries: Map<AccountKind, bigint>): boolean {
    return this.pool() + (entries.get('pool') ?? 0n) >= 0n;
  }
  apply(t: ModelTransfer): void {
    for (const [kind, a] of t.entries) {
      if (a > 0n) this.debit.set(kind, this.debit.get(kind)! + a);
      else this.credit.set(kind, this.credit.get(kind)! - a);
      this.version.set(kind, this.version.get(kind)! + 1n);
    }
    this.transfers.push(t);
  }
}

const mirror = (entries: Map<AccountKind, bigint>): Map<AccountKind, bigint> => new Map([...entries].map(([k, a]) => [k, -a]));
const sqlState = (error: unknown): string | undefined => (error as { driverError?: { code?: string } }).driverError?.code;
const pick = <T>(items: T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

describe('ledger properties', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let organizer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(LedgerService);
    organizer = await registerAndLogin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function step(books: Books, circleId: string, op: Op): Promise<void> {
    switch (op.type) {
      case 'post': {
        const amounts = op.accounts.slice(0, -1).map((_, i) => BigInt(op.amounts[i % op.amounts.length]));
        const last = -amounts.reduce((s, a) => s + a, 0n);
        const entries = new Map<AccountKind, bigint>(op.accounts.map((k, i) => [k, i < amounts.length ? amounts[i] : last]));
        const id = randomUUID();
        const call = ledger.post({ transferId: id, circleId, kind: 'adjustment', entries: [...entries].map(([account, a]) => ({ account, amount: a })) });
        if (last === 0n) return void expect(sqlState(await call.catch((e: unknown) => e))).toBe('AR001');
        if (!books.affordable(entries)) return void expect(sqlState(await call.catch((e: unknown) => e))).toBe('23514');
        const doc = await call;
        const model: ModelTransfer = { id, entries, reversal: false, reversed: false, doc };
        books.apply(model);
        expect(doc.created).toBe(true);
        for (const e of doc.entries) {
          expect(e.accountVersion).toBe(books.version.get(e.account));
          expect(e.balanceAfter).toBe(books.debit.get(e.account)! - books.credit.get(e.account)!);
        }
        return;
      }
      case 'retry': {
        const original = pick(books.transfers.filter((x) => x.doc), op.pick);
        if (!original?.doc) return;
        // A retry with the same id is a no-op returning the original, whatever entries it carries.
        const again = await ledger.post({ transferId: original.id, circleId, kind: original.doc.kind, entries: [{ account: 'pool', amount: op.amounts[0] }, { account: 'fees', amount: -op.amounts[0] }] });
        expect({ ...again, created: true }).toEqual({ ...original.doc, receipt: null });
        return;
      }
      case 'reverse':
      case 'httpReverse': {
        const target = pick(books.transfers, op.pick);
        if (!target) return;
        const expected = target.reversal ? 'invalid-state' : target.reversed ? 'already-reversed' : !books.affordable(mirror(target.entries)) ? 'insufficient-funds' : 'ok';
        let id = randomUUID();
        if (op.type === 'reverse') {
          const result = await ledger.reverse(circleId, target.id, id).catch((e: unknown) => e);
          const codes: Record<string, string> = { 'invalid-state': 'AR005', 'already-reversed': 'AR003', 'insufficient-funds': '23514' };
          if (expected !== 'ok') return void expect(sqlState(result)).toBe(codes[expected]);
          expect((result as PostedTransfer).reverses).toBe(target.id);
        } else {
          const key = randomUUID();
          const res = await postReversal(t, organizer, circleId, target.id, key);
          if (expected !== 'ok') {
            expect(res.status).toBe(409);
            return void expect(res.body.type).toBe(`urn:arvut:problem:${expected}`);
          }
          expect(res.status).toBe(201);
          id = res.body.id;
          books.keys.push({ key, path: 'reverse', body: target.id, text: res.text });
        }
        target.reversed = true;
        books.apply({ id, entries: mirror(target.entries), reversal: true, reversed: false });
        return;
      }
      case 'adjust': {
        const key = randomUUID();
        const body: AdjustmentBody = { direction: op.direction, amount: op.amount };
        const sign = op.direction === 'in' ? 1n : -1n;
        const entries = new Map<AccountKind, bigint>([['pool', sign * BigInt(op.amount)], ['adjustments', -sign * BigInt(op.amount)]]);
        const res = await postAdjustment(t, organizer, circleId, body, key);
        if (!books.affordable(entries)) {
          expect(res.status).toBe(409);
          return void expect(res.body.type).toBe('urn:arvut:problem:insufficient-funds');
        }
        expect(res.status).toBe(201);
        books.apply({ id: res.body.id, entries, reversal: false, reversed: false });
        books.keys.push({ key, path: 'adjust', body, text: res.text });
        return;
      }
      case 'replay': {
        const stored = pick(books.keys, op.pick);
        if (!stored) return;
        const res = stored.path === 'adjust' ? await postAdjustment(t, organizer, circleId, stored.body as AdjustmentBody, stored.key) : await postReversal(t, organizer, circleId, stored.body as string, stored.key);
        expect(res.status).toBe(201);
        expect(res.headers['idempotency-replayed']).toBe('true');
        return void expect(res.text).toBe(stored.text);
      }
      case 'reuse': {
        const stored = pick(books.keys.filter((k) => k.path === 'adjust'), op.pick);
        if (!stored) return;
        const body = stored.body as AdjustmentBody;
        const res = await postAdjustment(t, organizer, circleId, { ...body, amount: body.amount + op.delta }, stored.key);
        expect(res.status).toBe(422);
        return void expect(res.body.type).toBe('urn:arvut:problem:idempotency-key-reused');
      }
    }
  }

  async function agree(books: Books, circleId: string): Promise<void> {
    const actual = await ledger.balances(circleId);
    expect(actual.map((a) => [a.kind, a.debitTotal, a.creditTotal, a.version, a.balance])).toEqual(
      ACCOUNT_KINDS.map((k) => [k, books.debit.get(k), books.credit.get(k), books.version.get(k), normalBalance(k, books.debit.get(k)! - books.credit.get(k)!)]),
    );
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM ledger_transfers WHERE circle_id = $1', [circleId]);
    expect(rows[0].n).toBe(books.transfers.length);
    const check = await runLedgerCheck(async (sql, params) => (await t.sql.query(sql, params)).rows, circleId);
    expect(check.results.filter((r) => !r.ok)).toEqual([]);
  }

  it('balances, totals and the check agree with the model after every step; rejections change nothing; replays are identical', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        const circleId = await createCircle(t, organizer);
        const books = new Books();
        for (const op of ops) {
          await step(books, circleId, op);
          await agree(books, circleId);
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
