// The reference story (docs/transparency.md "The demo"), played through the public API as a client would
// (`npm run demo`): an organizer, a treasurer, ~100 donors with weekly manual pledges, 11
// recipients and 3 waiting, a 15-week cycle of 17500 a week; weeks run one after another
// with one recipient leaving for a job and the next in line taking the slot.
import { randomBytes } from 'node:crypto';
import { addDays, isoWeekday, localDate, payoutDate, type CycleTerms } from '../cycles/schedule.js';
import { createArvutClient, ok } from '../client/arvut-client.js';
import { patientFetch, signUp as signUpAccount, type DemoAccount } from './demo-client.js';
import { printDemoSummary } from './demo-summary.js';
import { ProgressBar, type ProgressStream } from './progress-bar.js';

export interface DemoOptions {
  baseUrl: string;
  /** Donors with a weekly manual pledge (the story has about 100). */
  donors?: number;
  /** Weeks of the cycle to play (1–15; the story plays 6). */
  weeks?: number;
  /** Open receipts and the report to anyone (`receiptVisibility: "public"`). */
  publicReceipts?: boolean;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Where the progress bar goes (stderr). */
  progress: ProgressStream;
  /** Where the summary goes, a line at a time (stdout). */
  print: (line: string) => void;
}

export interface DemoResult {
  circleId: string;
  cycleId: string;
  password: string;
  emails: { organizer: string; treasurer: string; member: string; donors: string[] };
  ledgerOk: boolean;
  /** The circle's page (src/web/): /circle/{id} when receipts are public, else the member's read link (60 minutes). */
  pagePath: string;
}

const TIMEZONE = 'America/New_York';
const CYCLE_WEEKS = 15;
const AMOUNT = 17_500;
const SLOTS = 11;
const WAITING = 3;
const FRIDAY = 5;
/** The week a recipient finds a job (or the last week played, if fewer). */
const EXIT_WEEK = 6;
/** Weekly pledges of 100 donors: 10.00 to 30.00, 2000.00 a week in all, a little over the 1925.00 due. */
const PLEDGES = [1000, 1500, 2000, 2500, 3000];
const CONTRIBUTION_METHODS = ['cash', 'cashapp', 'venmo', 'zelle'] as const;

/** Runs `work` over `items` with at most `limit` at a time, in order of start. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Each donor's weekly pledge: the story's amounts, scaled so any number of donors still covers the weekly due. */
export function demoPledges(donors: number): number[] {
  const amounts = Array.from({ length: donors }, (_, i) => Math.max(100, Math.round((PLEDGES[i % PLEDGES.length] * 100) / donors / 100) * 100));
  const shortfall = SLOTS * AMOUNT - amounts.reduce((s, a) => s + a, 0);
  if (shortfall > 0) amounts[0] += shortfall + 100;
  return amounts;
}

/** The cycle's terms: Friday payouts, the last played week paid on the latest Friday up to today. */
export function demoCycleTerms(today: string, weeksPlayed: number): CycleTerms {
  const lastPaid = addDays(today, -((isoWeekday(today) - FRIDAY + 7) % 7));
  const firstPayout = addDays(lastPaid, -7 * (weeksPlayed - 1));
  return { startsOn: addDays(firstPayout, -4), weeks: CYCLE_WEEKS, payoutWeekday: FRIDAY };
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const donorCount = options.donors ?? 100;
  const weeks = options.weeks ?? 6;
  if (!Number.isInteger(donorCount) || donorCount < 1 || donorCount > 1000) throw new RangeError('donors must be 1–1000');
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > CYCLE_WEEKS) throw new RangeError(`weeks must be 1–${CYCLE_WEEKS}`);
  const limit = options.concurrency ?? 8;
  const exitWeek = Math.min(EXIT_WEEK, weeks);
  const started = Date.now();

  const perWeek = donorCount + 1 + SLOTS * 3 + Math.ceil((SLOTS * 3) / 4) * 2;
  const bar = new ProgressBar(options.progress, 2 * (donorCount + 3) + 2 * (donorCount + 2) + 4 + SLOTS + WAITING + 2 + donorCount + weeks * perWeek + 2 + 1);
  const fetcher = patientFetch((seconds, why) => bar.phase(`${why}: waiting ${seconds} s (a server started with a higher LOGIN_LIMIT_PER_IP skips this)`));
  const run = randomBytes(2).toString('hex');
  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const email = (who: string) => `demo-${run}-${who}@example.org`;
  const emails = {
    organizer: email('organizer'),
    treasurer: email('treasurer'),
    member: email('member'),
    donors: Array.from({ length: donorCount }, (_, i) => email(`donor-${String(i + 1).padStart(3, '0')}`)),
  };

  bar.phase('signing up the organizer, the treasurer, a member and the donors');
  const signUp = async (address: string) => {
    const account = await signUpAccount(options.baseUrl, fetcher, address, password);
    bar.tick(2);
    return account;
  };
  const organizer = await signUp(emails.organizer);
  const treasurer = await signUp(emails.treasurer);
  const member = await signUp(emails.member);
  // The recipients confirm payouts without an account.
  const recipientApi = createArvutClient({ baseUrl: options.baseUrl, fetch: fetcher });
  const donors: DemoAccount[] = [];
  await eachLimited(emails.donors, limit, async (address, i) => {
    donors[i] = await signUp(address);
  });

  bar.phase('creating the circle and inviting everyone');
  const created = await organizer.api.POST('/v1/circles', { body: { name: `Eastside Mutual Aid (demo ${run})`, currency: 'USD', timezone: TIMEZONE } });
  const circleId = (await ok(Promise.resolve(created))).id;
  const inCircle = { params: { path: { circleId } } };
  bar.tick();
  if (options.publicReceipts) {
    const etag = created.response.headers.get('etag') ?? '*';
    await ok(organizer.api.PATCH('/v1/circles/{circleId}', { params: { path: { circleId }, header: { 'If-Match': etag } }, body: { receiptVisibility: 'public' } }));
  }
  bar.tick();
  const join = async (account: DemoAccount, role: 'treasurer' | 'member' | 'donor') => {
    const invite = await ok(organizer.api.POST('/v1/circles/{circleId}/invites', { ...inCircle, body: { role } }));
    await ok(account.api.POST('/v1/invites/{token}/accept', { params: { path: { token: invite.token } } }));
    bar.tick(2);
  };
  await join(treasurer, 'treasurer');
  await join(member, 'member');
  await eachLimited(donors, limit, (donor) => join(donor, 'donor'));

  bar.phase('adding 11 recipients and 3 on the waitlist (their details go to the vault)');
  const recipients: string[] = [];
  for (let i = 1; i <= SLOTS + WAITING; i++) {
    const body = { alias: `Neighbour ${i}`, contact: `+1 555 01${String(i).padStart(2, '0')} (${run})`, payoutHandle: `$nbr${run}${i}`, note: 'Prefers payouts before noon.' };
    recipients.push((await ok(organizer.api.POST('/v1/circles/{circleId}/recipients', { ...inCircle, body }))).id);
    bar.tick();
  }

  bar.phase('starting a 15-week cycle of 175.00 a week for 11 neighbours');
  const terms = demoCycleTerms(localDate(new Date(), TIMEZONE), weeks);
  const cycle = await ok(organizer.api.POST('/v1/circles/{circleId}/cycles', { ...inCircle, body: { startsOn: terms.startsOn, weeks: CYCLE_WEEKS, amount: AMOUNT, slots: SLOTS, payoutWeekday: FRIDAY } }));
  const cycleId = cycle.id;
  await ok(organizer.api.POST('/v1/circles/{circleId}/cycles/{cycleId}/activate', { params: { path: { circleId, cycleId } } }));
  bar.tick(2);

  bar.phase('donors pledge every week, by hand');
  const amounts = demoPledges(donorCount);
  const pledges: string[] = [];
  await eachLimited(donors, limit, async (donor, i) => {
    pledges[i] = (await ok(donor.api.POST('/v1/circles/{circleId}/pledges', { ...inCircle, body: { amount: amounts[i], method: 'manual' } }))).id;
    bar.tick();
  });

  for (let week = 1; week <= weeks; week++) {
    const paidOn = payoutDate(terms, week);
    bar.phase(`week ${week} of ${weeks}: the treasurer records what each donor gave`);
    await eachLimited(pledges, limit, async (pledgeId, i) => {
      const body = { pledgeId, amount: amounts[i], method: CONTRIBUTION_METHODS[(i + week) % CONTRIBUTION_METHODS.length], receivedOn: addDays(paidOn, -2) };
      await ok(treasurer.api.POST('/v1/circles/{circleId}/contributions', { ...inCircle, body }));
      bar.tick();
    });

    bar.phase(`week ${week} of ${weeks}: payouts generated, approved and sent`);
    const generated = await ok(organizer.api.POST('/v1/circles/{circleId}/cycles/{cycleId}/weeks/{week}/payouts', { params: { path: { circleId, cycleId, week } } }));
    bar.tick();
    const payouts = generated.payouts.map((p) => p.id);
    await eachLimited(payouts, limit, async (payoutId, i) => {
      const payout = { params: { path: { circleId, payoutId } } };
      await ok(organizer.api.POST('/v1/circles/{circleId}/payouts/{payoutId}/approve', payout));
      const referenceLast4 = randomBytes(3).toString('base64url').slice(0, 4).replace(/[-_]/g, '0');
      await ok(treasurer.api.POST('/v1/circles/{circleId}/payouts/{payoutId}/send', { ...payout, body: { method: 'cashapp', referenceLast4 } }));
      bar.tick(3);
      // Most recipients confirm with the one-time link the treasurer passes on (never printed).
      if (i % 4 !== 3) {
        const link = await ok(treasurer.api.POST('/v1/circles/{circleId}/payouts/{payoutId}/acknowledgement-link', payout));
        await ok(recipientApi.POST('/v1/payout-acknowledgements/{token}', { params: { path: { token: link.token } } }));
        bar.tick(2);
      }
    });

    if (week === exitWeek) {
      bar.phase(`week ${week}: Neighbour 3 found a job; the first person waiting takes the slot`);
      await ok(organizer.api.POST('/v1/circles/{circleId}/recipients/{recipientId}/exit', { params: { path: { circleId, recipientId: recipients[2] } }, body: { reason: 'employed' } }));
      await ok(organizer.api.POST('/v1/circles/{circleId}/recipients/{recipientId}/accept', { params: { path: { circleId, recipientId: recipients[SLOTS] } } }));
      bar.tick(2);
    }
  }

  bar.phase('checking the ledger');
  const check = await ok(organizer.api.GET('/v1/circles/{circleId}/ledger/check', inCircle));
  // A signed checkpoint, so the page's verify button checks a signature too.
  await ok(organizer.api.POST('/v1/circles/{circleId}/receipts/checkpoints', inCircle));
  const pagePath = options.publicReceipts ? `/circle/${circleId}` : (await ok(member.api.POST('/v1/circles/{circleId}/page-link', inCircle))).path;
  bar.finish(`done in ${Math.round((Date.now() - started) / 1000)} s`);

  const result: DemoResult = { circleId, cycleId, password, emails, ledgerOk: check.ok === true, pagePath };
  printDemoSummary(options.print, options.baseUrl, result, { weeks, donors: donorCount, publicReceipts: options.publicReceipts ?? false });
  return result;
}
