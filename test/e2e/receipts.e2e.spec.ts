// Every posting publishes its receipts in the same transaction, with the right
// fields and nothing personal — an alias only when the circle shows them, donors only as
// "a neighbour" — and hashes that the JavaScript twin of the SQL recomputes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { GENESIS_HASH, nameDigest, receiptHash } from '../../src/ledger/receipt-canonical.js';
import { registerAndLogin, TEST_PASSWORD } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { cardFee, FakeStripe } from '../support/fake-stripe.js';
import { balances, postAdjustment, postReversal } from '../support/ledger.js';
import { activateCycle, addRecipients, createCycle, generateWeek, payoutAction, returnPayout, sendPayout } from '../support/payouts.js';
import { deliver, postContribution, postPledge, today } from '../support/pledges.js';
import { allReceipts, type ReceiptItem } from '../support/receipts.js';
import { verifyReceipts } from '../../src/transparency/receipts/receipt-verifier.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { authHeader } from '../support/problems.js';

const RECEIPT_KEYS = ['alias', 'aliasDigest', 'aliasSalt', 'amount', 'category', 'circleId', 'currency', 'cycleId', 'date', 'direction', 'donor', 'donorDigest', 'donorName', 'donorSalt', 'hash', 'id', 'kind', 'method', 'prevHash', 'reverses', 'seq', 'week'];
const ALIAS = 'Ngh "7" \\ é';

/** Every hash recomputes from the receipt's fields, and each links to the one before. */
function expectChain(items: ReceiptItem[]): void {
  items.forEach((r, i) => {
    expect(r.seq).toBe(i + 1);
    expect(r.prevHash).toBe(i === 0 ? GENESIS_HASH : items[i - 1].hash);
    expect(receiptHash(r.prevHash, r)).toBe(r.hash);
  });
}

describe('receipts written with every posting', () => {
  let stripe: FakeStripe;
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let circleId: string;
  let recipients: string[];

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    t = await createTestApp(stripe.env());
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
  });

  it('publishes adjustments, contributions, payouts, returns and reversals with their fields, and no personal data', async () => {
    expect((await postAdjustment(t, treasurer, circleId, { direction: 'in', amount: 100_000, memo: 'Cash box count from Dana' })).status).toBe(201);
    expect((await postContribution(t, treasurer, circleId, { amount: 2500, method: 'cash', receivedOn: '2026-03-01' })).status).toBe(201);
    recipients = await addRecipients(t, circleId, organizer, 2, ALIAS);
    const cycleId = (await createCycle(t, circleId, organizer, { slots: 2, weeks: 4 })).id;
    await activateCycle(t, circleId, organizer, cycleId);
    const payouts: { id: string; recipientId: string }[] = (await generateWeek(t, circleId, organizer, cycleId, 1).expect(201)).body.payouts;
    const first = payouts.find((p) => p.recipientId === recipients[0])!;
    const second = payouts.find((p) => p.recipientId === recipients[1])!;
    for (const p of payouts) await payoutAction(t, circleId, organizer, p.id, 'approve').expect(200);
    await sendPayout(t, circleId, treasurer, first.id, { method: 'cashapp', referenceLast4: '4242' }).expect(200);
    // From now on the circle shows aliases: only receipts posted from now on carry one.
    await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', '"1"').send({ showRecipientAliases: true }).expect(200);
    await sendPayout(t, circleId, treasurer, second.id, { method: 'zelle' }).expect(200);
    await returnPayout(t, circleId, treasurer, first.id).expect(200);
    const out = await postAdjustment(t, treasurer, circleId, { direction: 'out', amount: 1000, memo: 'Correction for T.' });
    expect((await postReversal(t, organizer, circleId, out.body.id)).status).toBe(201);

    const items = await allReceipts(t, circleId, member);
    expectChain(items);
    const d = today();
    expect(items.map(({ kind, amount, direction, method, date, week, alias, donor }) => ({ kind, amount, direction, method, date, week, alias, donor }))).toEqual([
      { kind: 'adjustment', amount: 100_000, direction: 'in', method: null, date: d, week: null, alias: null, donor: null },
      { kind: 'contribution', amount: 2500, direction: 'in', method: 'cash', date: '2026-03-01', week: null, alias: null, donor: 'a neighbour' },
      { kind: 'payout', amount: 17500, direction: 'out', method: 'cashapp', date: d, week: 1, alias: null, donor: null },
      { kind: 'payout', amount: 17500, direction: 'out', method: 'zelle', date: d, week: 1, alias: `${ALIAS}2`, donor: null },
      { kind: 'reversal', amount: 17500, direction: 'in', method: null, date: d, week: 1, alias: `${ALIAS}1`, donor: null },
      { kind: 'adjustment', amount: 1000, direction: 'out', method: null, date: d, week: null, alias: null, donor: null },
      { kind: 'reversal', amount: 1000, direction: 'in', method: null, date: d, week: null, alias: null, donor: null },
    ]);
    expect(items.map((r) => r.cycleId)).toEqual([null, null, cycleId, cycleId, cycleId, null, null]);
    // Only a salted digest of an alias is hashed into the chain; the alias and salt are shown beside it.
    for (const r of items) {
      if (r.alias === null) expect([r.aliasDigest, r.aliasSalt]).toEqual([null, null]);
      else expect(nameDigest(r.aliasSalt!, r.alias)).toBe(r.aliasDigest);
    }
    expect(new Set(items.map((r) => r.aliasSalt)).size).toBe(3);
    expect(items[4].reverses).toBe(items[2].id);
    expect(items[6].reverses).toBe(items[5].id);
    for (const r of items) {
      expect(Object.keys(r).sort()).toEqual(RECEIPT_KEYS);
      expect(r).toMatchObject({ circleId, currency: 'USD' });
    }

    // Invariant 9: no stable recipient id, no payout, contribution or user id, no email, no memo.
    const text = JSON.stringify(items);
    const contributionId = (await t.sql.query('SELECT id FROM contributions WHERE circle_id = $1', [circleId])).rows[0].id as string;
    for (const secret of [...recipients, first.id, second.id, contributionId, organizer.userId, treasurer.userId, treasurer.email, 'Dana', 'Correction', '4242']) {
      expect(text).not.toContain(secret);
    }
    // Receipt ids are random, not the transfers' ids.
    const transferIds = (await t.sql.query('SELECT id FROM ledger_transfers WHERE circle_id = $1', [circleId])).rows.map((r) => r.id as string);
    expect(items.filter((r) => transferIds.includes(r.id))).toEqual([]);
  });

  it("erases a recipient's alias from the receipts it was published on; digests, hashes and the chain stay", async () => {
    const before = await allReceipts(t, circleId, member);
    const erased = before.find((r) => r.alias === `${ALIAS}2`)!;
    await t.http().delete(`/v1/circles/${circleId}/recipients/${recipients[1]}/private`).set(authHeader(organizer)).expect(200);

    const after = await allReceipts(t, circleId, member);
    expectChain(after);
    expect(after.map((r) => r.hash)).toEqual(before.map((r) => r.hash));
    expect(after.find((r) => r.seq === erased.seq)).toMatchObject({ alias: null, aliasSalt: null, aliasDigest: erased.aliasDigest });
    // The other recipient's alias is still shown, and still matches its digest.
    expect(after.filter((r) => r.alias !== null).map((r) => r.alias)).toEqual([`${ALIAS}1`]);
    expect(verifyReceipts(circleId, after, [], { keyId: 'none', publicKey: generateKeyPairSync('ed25519').publicKey })).toMatchObject({ ok: true, failures: [] });
    // Gone from the database and from the organizer's export, not only from the feed.
    expect((await t.sql.query('SELECT count(*)::int AS n FROM receipt_aliases WHERE alias = $1', [`${ALIAS}2`])).rows[0].n).toBe(0);
    const csv = await t.http().get(`/v1/circles/${circleId}/exports/receipts.csv`).set(authHeader(organizer)).expect(200);
    expect(csv.text).not.toContain('é2');
    expect(csv.text).toContain(erased.aliasDigest!);
  });

  it('names a donor who opts in, as a salted digest with the name beside it; withdrawing or deleting the account removes the name', async () => {
    const named = await createCircle(t, organizer);
    const donor = await addMember(t, named, organizer, 'donor');
    const keeper = await addMember(t, named, organizer, 'treasurer');
    const pledge = (await postPledge(t, donor, named, { amount: 2500, method: 'manual' })).body.id as string;
    const give = async (receivedOn: string) =>
      expect((await postContribution(t, keeper, named, { amount: 2500, method: 'cash', receivedOn, pledgeId: pledge })).status).toBe(201);
    const nameOf = () => t.http().get(`/v1/circles/${named}/receipt-name`).set(authHeader(donor));
    const choose = (name: unknown) => t.http().put(`/v1/circles/${named}/receipt-name`).set(authHeader(donor)).send({ name });

    await give('2026-03-01');
    expect((await nameOf().expect(200)).body).toEqual({ name: null, unnamedReceipts: 0 });
    for (const bad of [undefined, '', 'x'.repeat(41), 'tab\there', 42]) expect((await choose(bad).expect(400)).body.type).toBe('urn:arvut:problem:validation-failed');
    await t.http().put(`/v1/circles/${named}/receipt-name`).set(authHeader(member)).send({ name: 'Not a member here' }).expect(404);
    expect((await choose('  Dana K. ').expect(200)).body).toEqual({ name: 'Dana K.', unnamedReceipts: 0 });
    expect((await nameOf().expect(200)).body.name).toBe('Dana K.');
    await give('2026-03-08');

    let items = await allReceipts(t, named, donor);
    expectChain(items);
    expect(items.map(({ donor: d, donorName }) => ({ d, donorName }))).toEqual([{ d: 'a neighbour', donorName: null }, { d: null, donorName: 'Dana K.' }]);
    expect(nameDigest(items[1].donorSalt!, 'Dana K.')).toBe(items[1].donorDigest);
    expect(items[0]).toMatchObject({ donorDigest: null, donorSalt: null });

    // Withdrawn: gone from the receipt already published (its digest stays), and from the next ones.
    expect((await choose(null).expect(200)).body).toEqual({ name: null, unnamedReceipts: 1 });
    await give('2026-03-15');
    items = await allReceipts(t, named, donor);
    expectChain(items);
    expect(items.map(({ donor: d, donorName }) => ({ d, donorName }))).toEqual([
      { d: 'a neighbour', donorName: null },
      { d: null, donorName: null },
      { d: 'a neighbour', donorName: null },
    ]);
    expect(items[1].donorDigest).toMatch(/^[0-9a-f]{64}$/);

    // Named again, then the account is deleted: the name goes with it.
    await choose('Dana').expect(200);
    await give('2026-03-22');
    expect((await allReceipts(t, named, keeper)).at(-1)!.donorName).toBe('Dana');
    await t.http().post(`/v1/circles/${named}/pledges/${pledge}/cancel`).set(authHeader(donor)).expect(200);
    await t.http().delete('/v1/me').set(authHeader(donor)).send({ password: TEST_PASSWORD }).expect(204);
    items = await allReceipts(t, named, keeper);
    expectChain(items);
    expect(items.map((r) => r.donorName)).toEqual([null, null, null, null]);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM receipt_donor_names WHERE name = $1', ['Dana'])).rows[0].n).toBe(0);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM receipt_name_choices WHERE user_id = $1', [donor.userId])).rows[0].n).toBe(0);
  });

  it('publishes a card payment as a contribution and a fee, and refunds, disputes and their reversal', async () => {
    const cardCircle = await createCircle(t, organizer, { timezone: 'UTC' });
    const donor = await addMember(t, cardCircle, organizer, 'donor');
    const created = await postPledge(t, donor, cardCircle, { amount: 5000, method: 'card' });
    expect(created.status).toBe(201);
    const sessionId = String(created.body.checkoutUrl).split('/').pop()!;
    expect((await deliver(t, stripe, stripe.completeCheckout(sessionId))).status).toBe(200);
    const subscriptionId = stripe.get(sessionId).subscription as string;
    const first = stripe.payInvoice(subscriptionId);
    const second = stripe.payInvoice(subscriptionId);
    await deliver(t, stripe, first);
    await deliver(t, stripe, second);
    await deliver(t, stripe, stripe.refund(stripe.chargeOf(second.data.object.id), 700));
    const { event, disputeId } = stripe.dispute(stripe.chargeOf(first.data.object.id), { fee: 1500 });
    await deliver(t, stripe, event);
    await deliver(t, stripe, stripe.closeDispute(disputeId, 'won'));

    const items = await allReceipts(t, cardCircle, donor);
    expectChain(items);
    const fee = cardFee(5000);
    expect(items.map(({ kind, amount, direction, method, donor: d }) => ({ kind, amount, direction, method, donor: d }))).toEqual([
      { kind: 'contribution', amount: 5000, direction: 'in', method: 'card', donor: 'a neighbour' },
      { kind: 'fee', amount: fee, direction: 'out', method: 'card', donor: null },
      { kind: 'contribution', amount: 5000, direction: 'in', method: 'card', donor: 'a neighbour' },
      { kind: 'fee', amount: fee, direction: 'out', method: 'card', donor: null },
      { kind: 'refund', amount: 700, direction: 'out', method: 'card', donor: 'a neighbour' },
      { kind: 'dispute', amount: 5000, direction: 'out', method: 'card', donor: 'a neighbour' },
      { kind: 'fee', amount: 1500, direction: 'out', method: 'card', donor: null },
      { kind: 'reversal', amount: 6500, direction: 'in', method: null, donor: null },
    ]);
    expect(items[7].reverses).toBe(items[5].id);
    expect(JSON.stringify(items)).not.toContain(donor.userId);
    expect(JSON.stringify(items)).not.toContain(donor.email);
  });

  it('has a receipt for every transfer the ledger holds, in the transfer\'s own transaction', async () => {
    const { rows } = await t.sql.query(`SELECT t.id FROM ledger_transfers t WHERE NOT EXISTS (SELECT 1 FROM receipts r WHERE r.transfer_id = t.id)`);
    expect(rows).toEqual([]);
    // A posting that fails (the pool cannot cover it) leaves no receipt behind either.
    const before = (await allReceipts(t, circleId, member)).length;
    const pool = (await balances(t, treasurer, circleId)).pool;
    expect((await postAdjustment(t, treasurer, circleId, { direction: 'out', amount: pool + 1 })).status).toBe(409);
    expect(await allReceipts(t, circleId, member)).toHaveLength(before);
  });
});
