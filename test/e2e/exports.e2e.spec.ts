// ledger.csv: one row per ledger entry, streamed, formula cells neutralised, for organizers
// and treasurers only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { LEDGER_CSV_COLUMNS } from '../../src/transparency/exports/ledger-csv.js';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, postAdjustment, postReversal } from '../support/ledger.js';
import { activateCycle, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { postContribution, postPledge, today } from '../support/pledges.js';
import { createRecipient } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

/** RFC 4180 records (quoted cells, doubled quotes, CRLF); fails on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else if (ch === '\r' || ch === '\n' || ch === '"') throw new Error(`not RFC 4180 at ${i}: ${JSON.stringify(text.slice(i - 20, i + 20))}`);
    else cell += ch;
  }
  if (cell !== '' || record.length) throw new Error('the last record does not end with CRLF');
  return records;
}

const MEMOS = ['=HYPERLINK("http://evil.example","refund")', '+1 cash box', '-2+3', '@SUM(A1:A9)', 'week 3, counted twice'];

describe('ledger.csv', () => {
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let donor: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let circleId: string;
  let cycleId: string;
  let payoutId: string;
  let contributionId: string;
  let alias: string;
  let vault: string[];

  const exportPath = (circle = circleId) => `/v1/circles/${circle}/exports/ledger.csv`;
  const download = async (user: TestUser, circle = circleId) => {
    const res = await t.http().get(exportPath(circle)).set(authHeader(user)).buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => (text += d));
      r.on('end', () => done(null, text));
    });
    return { res, text: res.body as string };
  };
  const rowsOf = (text: string) => {
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...LEDGER_CSV_COLUMNS]);
    return rows.map((r) => Object.fromEntries(LEDGER_CSV_COLUMNS.map((c, i) => [c, r[i]])));
  };

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer, { timezone: 'UTC' });
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    donor = await addMember(t, circleId, organizer, 'donor');
    member = await addMember(t, circleId, organizer, 'member');

    for (const [i, memo] of MEMOS.entries()) expect((await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 10_000 + i, memo })).status).toBe(201);
    const pledge = await postPledge(t, donor, circleId, { amount: 2500, method: 'manual' });
    const contribution = await postContribution(t, treasurer, circleId, { amount: 2500, method: 'cashapp', receivedOn: today('UTC'), pledgeId: pledge.body.id });
    expect(contribution.status).toBe(201);
    contributionId = contribution.body.id;

    alias = `Exp${randomBytes(3).toString('hex')}`;
    vault = [`mk-${randomBytes(4).toString('hex')}`, `$mk${randomBytes(4).toString('hex')}`];
    await createRecipient(t, circleId, organizer, { alias, contact: vault[0], payoutHandle: vault[1] });
    cycleId = (await createCycle(t, circleId, organizer, { startsOn: '2026-03-02', weeks: 2, amount: 17_500, slots: 1, payoutWeekday: 5 })).id;
    await activateCycle(t, circleId, organizer, cycleId);
    payoutId = (await generateWeek(t, circleId, organizer, cycleId, 1).expect(201)).body.payouts[0].id;
    await payoutAction(t, circleId, organizer, payoutId, 'approve').expect(200);
    await sendPayout(t, circleId, treasurer, payoutId, { method: 'cashapp' }).expect(200);
    // A correction and its reversal.
    const out = await postAdjustment(t, organizer, circleId, { direction: 'out', amount: 300, memo: 'miscounted' });
    expect((await postReversal(t, organizer, circleId, out.body.id)).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams a CSV attachment: chunked, never built whole, not cached', async () => {
    const { res } = await download(treasurer);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const stamped = new Date().toISOString().slice(0, 10);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="arvut-ledger-${circleId}-${stamped}.csv"`);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('has one row per ledger entry, in posting order, each transfer balanced, with minor units and decimals', async () => {
    const rows = rowsOf((await download(organizer)).text);
    // 5 adjustments, 1 contribution, 1 payout, 1 correction and its reversal: two entries each.
    expect(rows).toHaveLength(18);
    const transfers = [...new Set(rows.map((r) => r.transfer_id))];
    expect(transfers).toHaveLength(9);
    for (const id of transfers) {
      const entries = rows.filter((r) => r.transfer_id === id);
      const sum = (side: string) => entries.filter((e) => e.side === side).reduce((s, e) => s + BigInt(e.amount_minor), 0n);
      expect(sum('debit')).toBe(sum('credit'));
      // Pool first within a transfer.
      expect(entries[0].account).toBe('pool');
    }
    expect(rows.map((r) => r.posted_at)).toEqual([...rows.map((r) => r.posted_at)].sort());
    expect(rows[0]).toMatchObject({ kind: 'adjustment', account: 'pool', side: 'debit', amount_minor: '10000', amount: '100.00', currency: 'USD', account_version: '1', balance_after_minor: '10000', balance_after: '100.00' });
    expect(rows[1]).toMatchObject({ kind: 'adjustment', account: 'adjustments', side: 'credit', amount_minor: '10000', amount: '100.00' });

    const payout = rows.filter((r) => r.kind === 'payout');
    expect(payout.map((r) => [r.account, r.side, r.amount_minor, r.amount])).toEqual([
      ['pool', 'credit', '17500', '175.00'],
      ['payouts', 'debit', '17500', '175.00'],
    ]);
    expect(payout[0]).toMatchObject({ cycle_id: cycleId, week: '1', method: 'cashapp', payout_id: payoutId, contribution_id: '' });
    const contribution = rows.find((r) => r.kind === 'contribution' && r.account === 'pool');
    expect(contribution).toMatchObject({ contribution_id: contributionId, method: 'cashapp', amount_minor: '2500', payout_id: '', cycle_id: '', week: '' });
    const reversal = rows.filter((r) => r.reverses !== '');
    expect(reversal.map((r) => [r.account, r.side, r.amount_minor])).toEqual([
      ['pool', 'debit', '300'],
      ['adjustments', 'credit', '300'],
    ]);

    // The last pool row carries the pool's balance now.
    const books = await balances(t, organizer, circleId);
    expect(rows.filter((r) => r.account === 'pool').at(-1)!.balance_after_minor).toBe(String(books.pool));
    expect(books.pool).toBe(50_010 + 2500 - 17_500);
  });

  it('neutralises memo cells a spreadsheet would run as formulas, and keeps the rest as written', async () => {
    const { text } = await download(organizer);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""refund"")"`);
    const memos = rowsOf(text).filter((r) => r.kind === 'adjustment' && r.account === 'pool').map((r) => r.memo);
    expect(memos.slice(0, MEMOS.length)).toEqual(["'=HYPERLINK(\"http://evil.example\",\"refund\")", "'+1 cash box", "'-2+3", "'@SUM(A1:A9)", 'week 3, counted twice']);
    for (const line of text.split('\r\n')) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@]/);
  });

  it('holds no personal data: no alias, private detail or email', async () => {
    const { text } = await download(organizer);
    for (const secret of [alias, ...vault, donor.email, treasurer.email, organizer.email]) expect(text).not.toContain(secret);
  });

  it('reads the entries in batches from one cursor', async () => {
    const batches: number[] = [];
    for await (const batch of t.app.get(LedgerService).entriesInPostingOrder(circleId, 4)) batches.push(batch.length);
    expect(batches).toEqual([4, 4, 4, 4, 2]);
  });

  it('is a header alone for a circle with no postings', async () => {
    const empty = await createCircle(t, organizer);
    const { res, text } = await download(organizer, empty);
    expect(res.status).toBe(200);
    expect(text).toBe(`${LEDGER_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('is for organizers and treasurers: 403 for donors and members, 404 outside the circle, 401 without a token', async () => {
    for (const user of [donor, member]) {
      const res = await t.http().get(exportPath()).set(authHeader(user)).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('urn:arvut:problem:forbidden');
    }
    const foreign = await t.http().get(exportPath()).set(authHeader(outsider)).expect(404);
    expect(foreign.body.type).toBe('urn:arvut:problem:not-found');
    expect(foreign.headers['content-disposition']).toBeUndefined();
    await t.http().get(exportPath()).expect(401);
  });
});
