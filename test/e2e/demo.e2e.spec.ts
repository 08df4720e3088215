// `npm run demo`, played in-process against a test app with fewer donors and weeks: the
// books check clean afterwards, the printed logins work, and nothing from the vault is printed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { runDemo, type DemoResult } from '../../src/bin/demo-story.js';
import { bearer } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('npm run demo', () => {
  let t: TestApp;
  let result: DemoResult;
  const printed: string[] = [];
  const progress: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_LIMIT_PER_IP: '100000' });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    result = await runDemo({
      baseUrl: `http://127.0.0.1:${port}`,
      donors: 8,
      weeks: 3,
      concurrency: 4,
      progress: { isTTY: false, write: (text: string) => progress.push(text) },
      print: (line) => printed.push(line),
    });
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  const output = () => [...printed, ...progress].join('\n');
  const login = async (email: string) => (await t.http().post('/v1/auth/login').send({ email, password: result.password }).expect(200)).body.accessToken as string;

  it('leaves books that check clean, and says so', async () => {
    expect(result.ledgerOk).toBe(true);
    const organizer = await login(result.emails.organizer);
    const check = await t.http().get(`/v1/circles/${result.circleId}/ledger/check`).set('Authorization', bearer(organizer)).expect(200);
    expect(check.body.results.filter((r: { ok: boolean }) => !r.ok)).toEqual([]);
    expect(printed.join('\n')).toContain('Ledger check: all invariants hold.');
  });

  it('played the weeks: 11 payouts sent each week, with the money the donors gave', async () => {
    const member = await login(result.emails.member);
    const report = await t.http().get(`/v1/circles/${result.circleId}/reports/cycles/${result.cycleId}`).set('Authorization', bearer(member)).expect(200);
    expect(report.body).toMatchObject({ status: 'active', amount: 17_500, slots: 11, payoutsSent: 33, exitsByReason: { employed: '<3' } });
    expect(report.body.weeks.slice(0, 3).map((w: { moneyOut: number }) => w.moneyOut)).toEqual([192_500, 192_500, 192_500]);
    for (const week of report.body.weeks.slice(0, 3)) expect(week.moneyIn).toBeGreaterThanOrEqual(192_500);
    expect(report.body.weeks[0].donorsActive).toBe(8);
  });

  it('prints the logins it made, and they work, and where to look', async () => {
    const text = printed.join('\n');
    for (const email of [result.emails.organizer, result.emails.treasurer, result.emails.member, result.emails.donors[0]]) expect(text).toContain(email);
    expect(text).toContain(result.password);
    await login(result.emails.donors[7]);
    for (const path of [`/v1/circles/${result.circleId}/receipts`, `/v1/circles/${result.circleId}/reports/cycles/${result.cycleId}`, `/v1/circles/${result.circleId}/exports/ledger.csv`, '/docs']) {
      expect(text).toContain(path);
    }
    // It ends with the circle's page, which opens.
    const page = printed[printed.length - 1].trim();
    expect(page).toMatch(new RegExp(`/circle/${result.circleId}\\?read=`));
    const opened = await t.http().get(new URL(page).pathname + new URL(page).search).expect(200);
    expect(opened.headers['content-type']).toBe('text/html; charset=utf-8');
    // The bar was drawn as plain lines, the stream not being a terminal.
    expect(progress.some((line) => line.includes('100%'))).toBe(true);
    expect(progress.join('')).not.toContain('\r');
  });

  it('prints nothing from the vault, and no token', async () => {
    const organizer = await login(result.emails.organizer);
    const as = { Authorization: bearer(organizer) };
    const recipients = await t.http().get(`/v1/circles/${result.circleId}/recipients?limit=100`).set(as).expect(200);
    expect(recipients.body.items).toHaveLength(14);
    const secrets: string[] = [];
    for (const r of recipients.body.items as { id: string }[]) {
      const vault = await t.http().get(`/v1/circles/${result.circleId}/recipients/${r.id}/private`).set(as).expect(200);
      secrets.push(...[vault.body.contact, vault.body.payoutHandle, vault.body.note].filter((v): v is string => typeof v === 'string'));
    }
    expect(secrets.length).toBe(14 * 3);
    const text = output();
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(text).not.toMatch(/payout-acknowledgements\/[\w-]{20,}/);
  });
});
