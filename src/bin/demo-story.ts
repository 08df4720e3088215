// The reference story (docs/transparency.md "The demo"), played through the public API as a client would
// (`npm run demo`): an organizer, a treasurer, ~100 donors with weekly manual pledges, 11
// recipients and 3 waiting, a 15-week cycle of 17500 a week; weeks run one after another
// with one recipient leaving for a job and the next in line taking the slot.
import { randomBytes } from 'node:crypto';
import { addDays, isoWeekday, localDate, payoutDate, type CycleTerms } from '../cycles/schedule.js';
import { DemoClient, type DemoAccount } from './demo-client.js';
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
  const api = new DemoClient(options.baseUrl, (seconds, why) => bar.phase(`${why}: waiting ${seconds} s (a server started with a higher LOGIN_LIMIT_PER_IP skips this)`));
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
    const account = await api.signUp(address, password);
    bar.tick(2);
    return account;
  };
  const organizer = await signUp(emails.organizer);
  const treasurer = await signUp(emails.treasurer);
  const member = await signUp(emails.member);
  const donors: DemoAccount[] = [];
  await eachLimited(emails.donors, limit, async (address, i) => {
    donors[i] = await signUp(address);
  });

  bar.phase('creating the circle and inviting everyone');
  const circle = await api.call({ method: 'POST', path: '/v1/circles', what: 'create the circle', as: organizer, body: { name: `Eastside Mutual Aid (demo ${run})`, currency: 'USD', timezone: TIMEZONE } });
  const circleId: string = circle.body.id;
  const base = `/v1/circles/${circleId}`;
  bar.tick();
  if (options.publicReceipts) {
    await api.call({ method: 'PATCH', path: base, what: 'open receipts to the public', as: organizer, headers: { 'If-Match': circle.headers.get('etag') ?? '*' }, body: { receiptVisibility: 'public' } });
  }
  bar.tick();
  const join = async (account: DemoAccount, role: string) => {
    const invite = await api.call({ method: 'POST', path: `${base}/invites`, what: `invite a ${role}`, as: organizer, body: { role } });
    await api.call({ method: 'POST', path: invite.body.acceptPath, what: `accept a ${role} invite`, as: account, expect: [200] });
    bar.tick(2);
  };
  await join(treasurer, 'treasurer');
  await join(member, 'member');
  await eachLimited(donors, limit, (donor) => join(donor, 'donor'));

  bar.phase('adding 11 recipients and 3 on the waitlist (their details go to the vault)');
  const recipients: string[] = [];
  for (let i = 1; i <= SLOTS + WAITING; i++) {
    const body = { alias: `Neighbour ${i}`, contact: `+1 555 01${String(i).padStart(2, '0')} (${run})`, payoutHandle: `$nbr${run}${i}`, note: 'Prefers payouts before noon.' };
    recipients.push((await api.call({ method: 'POST', path: `${base}/recipients`, what: 'add a recipient', as: organizer, body })).body.id);
    bar.tick();
  }

  bar.phase('starting a 15-week cycle of 175.00 a week for 11 neighbours');
  const terms = demoCycleTerms(localDate(new Date(), TIMEZONE), weeks);
  const cycle = await api.call({ method: 'POST', path: `${base}/cycles`, what: 'draft the cycle', as: organizer, body: { startsOn: terms.startsOn, weeks: CYCLE_WEEKS, amount: AMOUNT, slots: SLOTS, payoutWeekday: FRIDAY } });
  const cycleId: string = cycle.body.id;
  await api.call({ method: 'POST', path: `${base}/cycles/${cycleId}/activate`, what: 'start the cycle', as: organizer });
  bar.tick(2);

  bar.phase('donors pledge every week, by hand');
  const amounts = demoPledges(donorCount);
  const pledges: string[] = [];
  await eachLimited(donors, limit, async (donor, i) => {
    const res = await api.call({ method: 'POST', path: `${base}/pledges`, what: 'pledge', as: donor, idempotent: true, body: { amount: amounts[i], method: 'manual' } });
    pledges[i] = res.body.id;
    bar.tick();
  });

  for (let week = 1; week <= weeks; week++) {
    const paidOn = payoutDate(terms, week);
    bar.phase(`week ${week} of ${weeks}: the treasurer records what each donor gave`);
    await eachLimited(pledges, limit, async (pledgeId, i) => {
      const body = { pledgeId, amount: amounts[i], method: CONTRIBUTION_METHODS[(i + week) % CONTRIBUTION_METHODS.length], receivedOn: addDays(paidOn, -2) };
      await api.call({ method: 'POST', path: `${base}/contributions`, what: 'record a contribution', as: treasurer, idempotent: true, body });
      bar.tick();
    });

    bar.phase(`week ${week} of ${weeks}: payouts generated, approved and sent`);
    const generated = await api.call({ method: 'POST', path: `${base}/cycles/${cycleId}/weeks/${week}/payouts`, what: 'generate the week', as: organizer });
    bar.tick();
    const payouts: string[] = generated.body.payouts.map((p: { id: string }) => p.id);
    await eachLimited(payouts, limit, async (payoutId, i) => {
      await api.call({ method: 'POST', path: `${base}/payouts/${payoutId}/approve`, what: 'approve a payout', as: organizer });
      const referenceLast4 = randomBytes(3).toString('base64url').slice(0, 4).replace(/[-_]/g, '0');
      await api.call({ method: 'POST', path: `${base}/payouts/${payoutId}/send`, what: 'send a payout', as: treasurer, idempotent: true, body: { method: 'cashapp', referenceLast4 } });
      bar.tick(3);
      // Most recipients confirm with the one-time link the treasurer passes on (never printed).
      if (i % 4 !== 3) {
        const link = await api.call({ method: 'POST', path: `${base}/payouts/${payoutId}/acknowledgement-link`, what: 'issue an acknowledgement link', as: treasurer });
        await api.call({ method: 'POST', path: link.body.path, what: 'acknowledge a payout' });
        bar.tick(2);
      }
    });

    if (week === exitWeek) {
      bar.phase(`week ${week}: Neighbour 3 found a job; the first person waiting takes the slot`);
      await api.call({ method: 'POST', path: `${base}/recipients/${recipients[2]}/exit`, what: 'record an exit', as: organizer, body: { reason: 'employed' } });
      await api.call({ method: 'POST', path: `${base}/recipients/${recipients[SLOTS]}/accept`, what: 'accept the freed slot', as: organizer });
      bar.tick(2);
    }
  }

  bar.phase('checking the ledger');
  const check = await api.call({ method: 'GET', path: `${base}/ledger/check`, what: 'check the ledger', as: organizer });
  bar.finish(`done in ${Math.round((Date.now() - started) / 1000)} s`);

  const result: DemoResult = { circleId, cycleId, password, emails, ledgerOk: check.body.ok === true };
  printDemoSummary(options.print, options.baseUrl, result, { weeks, donors: donorCount, publicReceipts: options.publicReceipts ?? false });
  return result;
}
