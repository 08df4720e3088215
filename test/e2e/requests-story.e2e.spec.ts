// The requests story (docs/grants.md), end to end through HTTP: a neighbour asks through the
// circle's intake link for 400.00 for a medical bill and attaches the bill; a member refers
// another neighbour for the roster; two organizers approve the grant (above the two-person
// threshold), the treasurer sends it with a proof hash and a second person confirms, the
// neighbour acknowledges through their status link; the referral ends waitlisted; a roster
// recipient leaves through their own link as `employed` and the next person is offered the
// slot. Marker strings planted in every vault field and in the attachment appear only in the
// organizers' vault reads: in no other response, log line, receipt, export or report.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { balances, checkLedger, postAdjustment } from '../support/ledger.js';
import { activateCycle, createCycle } from '../support/payouts.js';
import { today } from '../support/pledges.js';
import { createIntakeLink, openRequest, putRequestSettings, requestAction, submitIntake } from '../support/requests.js';
import { createRecipient } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('requests story: a neighbour asks, organizers decide, money goes out with proof', () => {
  const logLines: string[] = [];
  const markers: string[] = [];
  const texts: string[] = [];
  let t: TestApp;
  let circleId: string;
  let organizer: TestUser;
  let organizer2: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let cycleId: string;
  const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });
  const marker = (field: string): string => {
    const m = `MRK${field}${randomBytes(6).toString('hex')}`;
    markers.push(m);
    return m;
  };
  /** Everything a non-vault read returned, to be searched for markers at the end. */
  const keep = (text: string | undefined) => texts.push(text ?? '');

  beforeAll(async () => {
    t = await createTestApp({}, { logLines });
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    organizer2 = await addMember(t, circleId, organizer, 'organizer');
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 500_000, memo: 'float' })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs the whole story', async () => {
    // The circle's rules: grants of 300.00 or more need two people; 1,000.00 a month; attachments on.
    await putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: 100_000, twoPersonThreshold: 30_000, attachmentsEnabled: true }).expect(200);

    // A roster already running: one slot, held by a recipient with a status link of their own.
    const holder = await createRecipient(t, circleId, organizer, { alias: 'Holder', contact: marker('holdercontact'), payoutHandle: marker('holderhandle') });
    const cycle = await createCycle(t, circleId, organizer, { slots: 1, weeks: 4, startsOn: today() });
    cycleId = cycle.id;
    await activateCycle(t, circleId, organizer, cycle.id);
    const holderLink = await t.http().post(`/v1/circles/${circleId}/recipients/${holder.id}/status-link`).set(as(organizer)).expect(201);
    expect(holderLink.headers['cache-control']).toBe('no-store');

    // 1. A neighbour asks through the intake link, with no account, and attaches the bill.
    const intake = await createIntakeLink(t, circleId, organizer, { maxOpenRequests: 10 });
    const form = await t.http().get(`/v1/intake/${intake.token}`).expect(200);
    expect(form.body).toMatchObject({ currency: 'USD', attachmentsEnabled: true });
    const mine = { contact: marker('contact'), payoutHandle: marker('handle'), note: marker('note') };
    const asked = await submitIntake(t, intake.token, { kind: 'grant', category: 'medical', amount: 40_000, alias: 'M.', ...mine }).expect(201);
    keep(asked.text);
    const neighbourLink: string = asked.body.statusToken;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(marker('attachment')), Buffer.from('\n%%EOF\n')]);
    const attached = await t.http().post(`/v1/person-links/${neighbourLink}/attachments`).attach('file', pdf, { filename: 'bill.pdf', contentType: 'application/pdf' }).expect(201);
    expect(attached.body).toMatchObject({ contentType: 'application/pdf', sizeBytes: pdf.length });
    keep(attached.text);

    const list = await t.http().get(`/v1/circles/${circleId}/requests`).set(as(organizer)).expect(200);
    keep(list.text);
    const grantId: string = list.body.items[0].id;
    expect(list.body.items[0]).toMatchObject({ kind: 'grant', category: 'medical', amountAsked: 40_000, source: 'intake', status: 'submitted', openedBy: null });

    // 2. A member refers another neighbour for a place on the roster.
    const ref = { contact: marker('refcontact'), payoutHandle: marker('refhandle'), note: marker('refnote') };
    const referral = await openRequest(t, circleId, member, { kind: 'roster', alias: 'R.', ...ref }).expect(201);
    keep(referral.text);

    // 3. Organizers read the request's private data and the bill: those reads are logged.
    const vault = await t.http().get(`/v1/circles/${circleId}/requests/${grantId}/private`).set(as(organizer)).expect(200);
    expect(vault.body).toMatchObject(mine);
    const files = await t.http().get(`/v1/circles/${circleId}/requests/${grantId}/attachments`).set(as(organizer)).expect(200);
    keep(files.text);
    const file = await t.http().get(`/v1/circles/${circleId}/requests/${grantId}/attachments/${files.body[0].id}`).set(as(organizer)).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);
    await t.http().get(`/v1/circles/${circleId}/requests/${grantId}/attachments/${files.body[0].id}`).set(as(treasurer)).expect(403);

    // 4. Two organizers approve (the grant is above the threshold); the first alone is not enough.
    await requestAction(t, circleId, organizer, grantId, 'review').expect(200);
    const first = await requestAction(t, circleId, organizer, grantId, 'approve').expect(200);
    expect(first.body).toMatchObject({ status: 'in_review', awaitingSecondApproval: true });
    await requestAction(t, circleId, organizer, grantId, 'approve').expect(409);
    const approved = await requestAction(t, circleId, organizer2, grantId, 'approve').expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', amountGranted: 40_000, approvedBy: organizer.userId, secondApprovedBy: organizer2.userId });
    // Decided: the bill is deleted with the decision.
    const gone = await t.http().get(`/v1/circles/${circleId}/requests/${grantId}/attachments`).set(as(organizer)).expect(200);
    expect(gone.body).toEqual([]);
    const funds = await t.http().get(`/v1/circles/${circleId}/grant-funds`).set(as(member)).expect(200);
    expect(funds.body).toMatchObject({ pool: 500_000, reservedForGrants: 40_000, available: 460_000, approvedThisMonth: 40_000, budgetLeft: 60_000 });

    // 5. The treasurer sends it with a proof hash; a second person confirms; the pool pays.
    const proof = createHash('sha256').update('screenshot bytes that never reach arvut').digest('hex');
    const send = { method: 'cashapp', referenceLast4: '4T2Q', proofSha256: proof };
    const pending = await requestAction(t, circleId, treasurer, grantId, 'send', send).expect(200);
    expect(pending.body).toMatchObject({ status: 'approved', awaitingSecondSender: true });
    const paid = await requestAction(t, circleId, organizer, grantId, 'send', send).expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', proofSha256: proof, sentBy: treasurer.userId, secondSentBy: organizer.userId });
    expect(await balances(t, organizer, circleId)).toMatchObject({ pool: 460_000, payouts: 40_000 });

    // 6. The neighbour sees it and acknowledges through their status link.
    const seen = await t.http().get(`/v1/person-links/${neighbourLink}`).expect(200);
    keep(seen.text);
    expect(seen.body.request).toMatchObject({ kind: 'grant', status: 'paid', amountGranted: 40_000, currency: 'USD' });
    const acknowledged = await t.http().post(`/v1/person-links/${neighbourLink}/acknowledge`).expect(200);
    expect(acknowledged.body.request.status).toBe('acknowledged');
    await t.http().post(`/v1/person-links/${neighbourLink}/acknowledge`).expect(409);

    // 7. The receipt: kind grant with its category and amount, no alias (the circle does not show aliases).
    const receipts = await t.http().get(`/v1/circles/${circleId}/receipts`).set(as(member)).expect(200);
    keep(receipts.text);
    const grantReceipt = receipts.body.items.find((r: { kind: string }) => r.kind === 'grant');
    expect(grantReceipt).toMatchObject({ kind: 'grant', category: 'medical', amount: 40_000, direction: 'out', method: 'cashapp', aliasDigest: null, alias: null });

    // 8. The referral is approved for the roster and ends waitlisted, its vault fields with it.
    const refApproved = await requestAction(t, circleId, organizer, referral.body.id, 'approve').expect(200);
    expect(refApproved.body).toMatchObject({ status: 'approved', recipientId: expect.any(String) });
    const waiting = await t.http().get(`/v1/circles/${circleId}/recipients/${refApproved.body.recipientId}`).set(as(organizer)).expect(200);
    keep(waiting.text);
    expect(waiting.body).toMatchObject({ status: 'waitlisted', alias: 'R.' });
    const moved = await t.http().get(`/v1/circles/${circleId}/recipients/${refApproved.body.recipientId}/private`).set(as(organizer)).expect(200);
    expect(moved.body).toMatchObject(ref);

    // 9. The holder found a job and leaves through their own link; the slot is offered to the referral.
    const left = await t.http().post(`/v1/person-links/${holderLink.body.token}/exit`).send({ reason: 'employed' }).expect(200);
    keep(left.text);
    expect(left.body.roster).toMatchObject({ status: 'exited', exitReason: 'employed' });
    const offered = await t.http().get(`/v1/circles/${circleId}/recipients/${refApproved.body.recipientId}`).set(as(organizer)).expect(200);
    expect(offered.body.status).toBe('offered');

    // 10. The books are clean.
    const check = await checkLedger(t, organizer, circleId);
    expect(check.results.filter((r) => !r.ok)).toEqual([]);
  });

  it('reports and exports the grants as figures only, with small counts suppressed for members', async () => {
    const csv = await t.http().get(`/v1/circles/${circleId}/exports/grants.csv`).set(as(treasurer)).expect(200);
    keep(csv.text);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('request_id,asked_at,category,source,status,amount_asked_minor,amount_granted_minor,amount_granted,currency,decline_reason,decided_at,sent_at,acknowledged_at,method,reference_last4,proof_sha256,transfer_id,reversal_transfer_id');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,medical,intake,acknowledged,40000,40000,400\.00,USD,,/);
    await t.http().get(`/v1/circles/${circleId}/exports/grants.csv`).set(as(member)).expect(403);

    const month = new Date().toISOString().slice(0, 7);
    const exact = await t.http().get(`/v1/circles/${circleId}/reports/grants/months/${month}`).set(as(organizer)).expect(200);
    keep(exact.text);
    expect(exact.body).toMatchObject({
      period: 'month',
      smallCountsSuppressed: false,
      requests: 2,
      byKind: { grant: 1, roster: 1 },
      grantsByCategory: { medical: 1, rent: 0 },
      amountAsked: 40_000,
      amountGranted: 40_000,
      grantsPaid: 1,
      bySource: { intake: 1, referral: 1, organizer: 0 },
    });
    expect(typeof exact.body.medianDaysToPayment).toBe('number');
    const suppressed = await t.http().get(`/v1/circles/${circleId}/reports/grants/cycles/${cycleId}`).set(as(member)).expect(200);
    keep(suppressed.text);
    expect(suppressed.body).toMatchObject({ period: 'cycle', smallCountsSuppressed: true, requests: '<3', byKind: { grant: '<3' }, amountAsked: null, medianDaysToPayment: null });
    await t.http().get(`/v1/circles/${circleId}/reports/grants/months/2026-13`).set(as(member)).expect(400);
  });

  it('emits the request and grant events, with ids, states and amounts only', async () => {
    const feed = await t.http().get(`/v1/circles/${circleId}/events?limit=100`).set(as(organizer)).expect(200);
    keep(feed.text);
    const types: string[] = feed.body.items.map((e: { type: string }) => e.type);
    for (const type of ['request.submitted', 'request.in_review', 'request.approved', 'request.paid', 'request.acknowledged', 'grant.paid']) expect(types).toContain(type);
    const paid = feed.body.items.find((e: { type: string }) => e.type === 'grant.paid');
    expect(paid.data).toMatchObject({ category: 'medical', amount: 40_000, currency: 'USD', method: 'cashapp' });
    expect(JSON.stringify(feed.body)).not.toContain('"M."');
    const members = await t.http().get(`/v1/circles/${circleId}/events?limit=100`).set(as(member)).expect(200);
    expect(members.body.items.some((e: { type: string }) => e.type.startsWith('request.') || e.type.startsWith('grant.'))).toBe(false);
  });

  it('shows the markers in no export, report, list or log line', async () => {
    for (const path of ['exports/ledger.csv', 'exports/receipts.csv', 'requests', 'recipients', 'intake-links', 'ledger/transfers', 'events?limit=100']) {
      const res = await t.http().get(`/v1/circles/${circleId}/${path}`).set(as(organizer));
      expect([path, res.status]).toEqual([path, 200]);
      keep(res.text);
    }
    const leakedTexts = texts.filter((text) => markers.some((m) => text.includes(m)));
    expect(leakedTexts).toEqual([]);
    expect(logLines.length).toBeGreaterThan(20);
    expect(logLines.filter((line) => markers.some((m) => line.includes(m)))).toEqual([]);
    // Secrets in paths are redacted from the logs too.
    expect(logLines.filter((line) => /\/(intake|person-links)\/[A-Za-z0-9_-]{43}/.test(line))).toEqual([]);
  });
});
