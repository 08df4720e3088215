// The pages in a real browser (Debian's Chromium through playwright-core; docs/pages.md
// "Tests"): every page in English, Arabic and Hebrew at 360 px wide, with JavaScript where the
// page has a script; the acknowledgement and the exit through the links, an expired link, the
// public page's verify button on a real chain and on one altered in the database, the
// right-to-left layout, and axe-core with no serious or critical findings.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LANGUAGES, type Language } from '../../src/common/i18n/languages.js';
import { translatorFor } from '../../src/common/i18n/i18n.js';
import { launchChromium, seriousAxeViolations } from '../support/browser.js';
import { pagesCircle, type PagesCircle } from '../support/pages.js';
import { createIntakeLink, putRequestSettings } from '../support/requests.js';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { authHeader } from '../support/problems.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('pages in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let circle: PagesCircle;

  /** Opens `path` in `language` (?lang=), answers the HTTP status. */
  const open = async (path: string, language: Language): Promise<number> => {
    const response = await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${language}`);
    return response!.status();
  };
  const expectLanguage = async (language: Language): Promise<void> => {
    expect(await page.getAttribute('html', 'lang')).toBe(language);
    expect(await page.getAttribute('html', 'dir')).toBe(language === 'en' ? 'ltr' : 'rtl');
  };
  const expectAccessible = async (): Promise<void> => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Usable at 360 px: nothing wider than the screen, so no sideways scrolling.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  };

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_NAME: 'Elm Street volunteers' });
    // The verify test alters a receipt on purpose; the ledger check at close would (rightly) fail.
    t.allowBrokenLedger();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // One recipient per language, and one more whose link expires.
    circle = await pagesCircle(t, LANGUAGES.length + 1);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(LANGUAGES)('the home page in %s names the operator and links to /docs', async (language) => {
    expect(await open('/', language)).toBe(200);
    await expectLanguage(language);
    expect(await page.textContent('#operator')).toContain('Elm Street volunteers');
    expect(await page.getAttribute('a[href="/docs"]', 'href')).toBe('/docs');
    await expectAccessible();
  });

  it('lays Arabic and Hebrew out right to left: the mirror image of English', async () => {
    const positions = async (language: Language) => {
      await open('/', language);
      const brand = (await page.locator('.brand').boundingBox())!;
      const languages = (await page.locator('.languages').boundingBox())!;
      return { brand: brand.x, languages: languages.x };
    };
    const en = await positions('en');
    expect(en.brand).toBeLessThan(en.languages);
    for (const language of ['ar', 'he'] as const) {
      const rtl = await positions(language);
      expect(rtl.brand).toBeGreaterThan(rtl.languages);
    }
  });

  it('the language switcher moves between the three and remembers the choice', async () => {
    await open('/', 'en');
    await page.click('a[hreflang="he"]');
    await expectLanguage('he');
    await page.goto(`${base}/`);
    await expectLanguage('he');
    await open('/', 'en');
  });

  it.each(LANGUAGES.map((language, i) => [language, i] as const))('a recipient confirms the money arrived through the one-time link, in %s', async (language, i) => {
    const t_ = translatorFor(language);
    expect(await open(`/ack/${circle.ackTokens[i]}`, language)).toBe(200);
    await expectLanguage(language);
    expect(await page.textContent('h1')).toBe(t_('ack.title'));
    await expectAccessible();
    // "It did not arrive" leaves the payout sent (the report goes to its history) and says what happens next.
    await page.click('#not-arrived');
    expect(await page.textContent('#not-arrived-note')).toBe(t_('ack.notArrived'));
    await page.click(`a[href="/ack/${circle.ackTokens[i]}"]`);
    await page.click('#arrived');
    await page.waitForSelector('#done');
    await expectLanguage(language);
    await expectAccessible();
    const { rows } = await t.sql.query('SELECT status FROM payouts WHERE id = $1', [circle.payoutIds[i]]);
    expect(rows[0].status).toBe('acknowledged');
    // Used: the link now answers 409 with a page saying it is already done.
    expect(await open(`/ack/${circle.ackTokens[i]}`, language)).toBe(409);
    expect(await page.textContent('h1')).toBe(t_('error.used.title'));
  });

  it.each(LANGUAGES)('an expired link shows a page that says so (410), in %s', async (language) => {
    // The last recipient's link is kept for this: its expiry is moved into the past.
    const last = circle.payoutIds.length - 1;
    await t.sql.query(`UPDATE payouts SET ack_expires_at = now() - interval '1 day' WHERE id = $1`, [circle.payoutIds[last]]);
    expect(await open(`/ack/${circle.ackTokens[last]}`, language)).toBe(410);
    await expectLanguage(language);
    expect(await page.textContent('h1')).toBe(translatorFor(language)('error.expired.title'));
    expect(await page.textContent('body')).not.toContain('urn:arvut:problem');
    await expectAccessible();
  });

  it.each(LANGUAGES.map((language, i) => [language, i] as const))('a recipient updates their handle and takes themself off the roster ("I found a job"), in %s', async (language, i) => {
    const t_ = translatorFor(language);
    expect(await open(`/link/${circle.linkTokens[i]}`, language)).toBe(200);
    await expectLanguage(language);
    expect(await page.textContent('#roster-status')).toBe(t_('link.rosterStatus.active'));
    await expectAccessible();
    await page.fill('#payoutHandle', `$page-handle-${language}`);
    await page.click('#save-handle');
    await page.waitForSelector('#done');
    expect(await page.textContent('#done')).toBe(t_('link.done.handle'));
    expect(await page.content()).not.toContain(`$page-handle-${language}`);
    await page.selectOption('#reason', 'employed');
    await page.click('#exit');
    await page.waitForSelector('#roster-status');
    expect(await page.textContent('#done')).toBe(t_('link.done.exited'));
    expect(await page.textContent('#roster-status')).toBe(t_('link.rosterStatus.exited'));
    const { rows } = await t.sql.query('SELECT status, exit_reason FROM recipients WHERE id = $1', [circle.recipientIds[i]]);
    expect(rows[0]).toEqual({ status: 'exited', exit_reason: 'employed' });
    await expectAccessible();
  });

  it.each(LANGUAGES)('the public page shows the cycle and receipts and its verify button turns green on the real chain, in %s', async (language) => {
    expect(await open(`/circle/${circle.circleId}`, language)).toBe(200);
    await expectLanguage(language);
    expect(await page.textContent('h1')).toBe('Elm Street Neighbours');
    expect(await page.locator('#receipts tbody tr').count()).toBeGreaterThan(0);
    await page.click('#verify-button');
    await page.waitForSelector('#verify-result[data-outcome]');
    expect(await page.getAttribute('#verify-result', 'data-outcome')).toBe('ok');
    expect(await page.getAttribute('#verify-result', 'class')).toBe('notice ok');
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM receipts WHERE circle_id = $1', [circle.circleId]);
    expect(await page.textContent('#verify-result')).toContain(String(rows[0].n));
    await expectAccessible();
  });

  it('a member opens a circle whose receipts are not public through a read link, and verifies it there', async () => {
    const organizer = await registerAndLogin(t);
    const circleId = await createCircle(t, organizer, { name: 'Members only', currency: 'JPY' });
    const member = await addMember(t, circleId, organizer, 'member');
    await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 5000 }).expect(201);
    await t.http().post(`/v1/circles/${circleId}/receipts/checkpoints`).set(authHeader(organizer)).expect(201);
    const { path } = (await t.http().post(`/v1/circles/${circleId}/page-link`).set(authHeader(member)).expect(201)).body;
    expect(await open(path, 'he')).toBe(200);
    expect(await page.textContent('h1')).toBe('Members only');
    expect(await page.textContent('#receipts')).toContain('¥');
    await page.click('#verify-button');
    await page.waitForSelector('#verify-result[data-outcome]');
    expect(await page.getAttribute('#verify-result', 'data-outcome')).toBe('ok');
    // The switcher keeps the read link.
    await page.click('a[hreflang="ar"]');
    await expectLanguage('ar');
    expect(await page.textContent('h1')).toBe('Members only');
  });

  it('the verify button turns red, naming the first altered receipt, after a receipt is changed in the database', async () => {
    const client = await t.sql.connect();
    try {
      // Guards off for this session only (triggers do not fire for a replication session).
      await client.query('SET session_replication_role = replica');
      await client.query('UPDATE receipts SET amount = amount + 1 WHERE circle_id = $1 AND seq = 2', [circle.circleId]);
    } finally {
      await client.query('RESET session_replication_role');
      client.release();
    }
    for (const language of LANGUAGES) {
      await open(`/circle/${circle.circleId}`, language);
      await page.click('#verify-button');
      await page.waitForSelector('#verify-result[data-outcome]');
      expect(await page.getAttribute('#verify-result', 'data-outcome')).toBe('bad');
      expect(await page.textContent('#verify-result')).toBe(translatorFor(language)('circle.verifyAltered', { seq: '2' }));
      await expectAccessible();
    }
  });

  it.each(LANGUAGES)('a neighbour asks for a grant through the intake form, with a bill attached, in %s', async (language) => {
    const t_ = translatorFor(language);
    await putRequestSettings(t, circle.circleId, circle.organizer, { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: true }).expect(200);
    const link = await createIntakeLink(t, circle.circleId, circle.organizer);
    expect(await open(`/ask/${link.token}`, language)).toBe(200);
    await expectLanguage(language);
    expect(await page.locator('#kept li').count()).toBe(4);
    await expectAccessible();
    await page.check('#kind-grant');
    await page.selectOption('#category', 'rent');
    await page.fill('#amount', language === 'ar' ? '٤٠٠٫٥٠' : '400.50');
    await page.fill('#alias', `Intake ${language}`);
    await page.fill('#payoutHandle', `$intake-${language}`);
    await page.setInputFiles('#file', { name: 'bill.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
    await page.click('#send');
    await page.waitForSelector('#request-status');
    expect(new URL(page.url()).pathname).toMatch(/^\/link\//);
    expect(await page.textContent('#done')).toBe(t_('link.done.submitted'));
    expect(await page.textContent('#request-status')).toBe(t_('link.status.submitted'));
    await expectAccessible();
    const { rows } = await t.sql.query(
      `SELECT r.amount_asked, r.category, (SELECT count(*)::int FROM vault_attachments a WHERE a.subject_id = r.subject_id) AS files FROM requests r WHERE r.intake_link_id = $1`,
      [link.id],
    );
    expect(rows).toEqual([{ amount_asked: '40050', category: 'rent', files: 1 }]);
    expect(await page.content()).not.toContain(`$intake-${language}`);
  });
});
