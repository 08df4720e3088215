// Invariant 9 (docs/design.md), generated from the contract: recipients are given
// unique marker strings in every vault field, the circle is run through a week (payouts,
// pledges, contributions, receipts; requests through an intake link and a referral, an
// attached file, a grant paid), then EVERY GET operation in openapi.yaml is called as every
// role and without a token. The markers may appear only in the organizer's vault reads:
// GET …/recipients/{recipientId}/private, …/requests/{requestId}/private and the attached
// file. They never reach a log line, and never any page (src/web/) in any language.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { contractOperations, fillPath, loadContract } from '../support/openapi.js';
import { activateCycle, createCycle, generateWeek, issueAcknowledgementLink, payoutAction, sendPayout } from '../support/payouts.js';
import { postContribution, postPledge, today } from '../support/pledges.js';
import { createIntakeLink, newestRequestId, openRequest, putRequestSettings, requestAction, submitIntake } from '../support/requests.js';
import { createRecipient, transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PRIVATE_PATH = '/v1/circles/{circleId}/recipients/{recipientId}/private';
// A request's vault fields and its attached file: the other two organizer vault reads.
const REQUEST_PRIVATE_PATH = '/v1/circles/{circleId}/requests/{requestId}/private';
const ATTACHMENT_PATH = '/v1/circles/{circleId}/requests/{requestId}/attachments/{attachmentId}';

describe('privacy sweep: vault data appears only in the organizer\'s /private read', () => {
  const logLines: string[] = [];
  const markers: string[] = [];
  let t: TestApp;
  const users: Record<string, TestUser | undefined> = {};
  const ids: Record<string, string> = {};

  const marker = (field: string): string => {
    const m = `MRK${field}${randomBytes(6).toString('hex')}`;
    markers.push(m);
    return m;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { logLines });
    const organizer = await registerAndLogin(t);
    users.organizer = organizer;
    ids.circleId = await createCircle(t, organizer);
    users.treasurer = await addMember(t, ids.circleId, organizer, 'treasurer');
    users.donor = await addMember(t, ids.circleId, organizer, 'donor');
    users.member = await addMember(t, ids.circleId, organizer, 'member');
    users.outsider = await registerAndLogin(t);
    users.anonymous = undefined;
    const as = { Authorization: bearer(organizer.accessToken) };

    // Aliases on receipts too, so every read path that could carry recipient data does.
    const circle = await t.http().get(`/v1/circles/${ids.circleId}`).set(as).expect(200);
    await t.http().patch(`/v1/circles/${ids.circleId}`).set(as).set('If-Match', circle.headers.etag as string).send({ showRecipientAliases: true, receiptVisibility: 'public' }).expect(200);
    expect((await postAdjustment(t, organizer, ids.circleId, { direction: 'in', amount: 1_000_000, memo: 'float' })).status).toBe(201);

    const recipients: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await createRecipient(t, ids.circleId, organizer, { alias: `Neighbour ${i + 1}`, contact: marker('contact'), payoutHandle: `$${marker('handle')}`, note: marker('note') });
      recipients.push(r.id);
    }
    ids.recipientId = recipients[0];
    const cycle = await createCycle(t, ids.circleId, organizer, { slots: 3, weeks: 4, startsOn: today() });
    ids.cycleId = cycle.id;
    await activateCycle(t, ids.circleId, organizer, ids.cycleId);
    const week = await generateWeek(t, ids.circleId, organizer, ids.cycleId, 1);
    expect([200, 201]).toContain(week.status);
    const payouts = await t.http().get(`/v1/circles/${ids.circleId}/payouts?cycleId=${ids.cycleId}&week=1`).set(as).expect(200);
    ids.payoutId = payouts.body.items[0].id;
    expect(week.status).toBeLessThan(300);
    await payoutAction(t, ids.circleId, organizer, ids.payoutId, 'approve').expect(200);
    await sendPayout(t, ids.circleId, users.treasurer!, ids.payoutId, { method: 'cashapp', referenceLast4: '4242' }).expect(200);
    const ackLink = await issueAcknowledgementLink(t, ids.circleId, users.treasurer!, ids.payoutId);
    expect(ackLink.status).toBeLessThan(300);
    ids.ackToken = ackLink.body.token;

    const pledge = await postPledge(t, users.donor!, ids.circleId, { amount: 2000, method: 'manual' });
    expect(pledge.status).toBe(201);
    ids.pledgeId = pledge.body.id;
    const contribution = await postContribution(t, users.treasurer!, ids.circleId, { pledgeId: ids.pledgeId, amount: 2000, method: 'cash', receivedOn: today() });
    expect(contribution.status).toBe(201);

    await transition(t, ids.circleId, organizer, recipients[1], 'exit', { reason: 'employed' }).expect(200);

    // A neighbour asks through an intake link and attaches a bill; a member refers another.
    await putRequestSettings(t, ids.circleId, organizer, { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: true }).expect(200);
    const intake = await createIntakeLink(t, ids.circleId, organizer);
    ids.intakeToken = intake.token;
    const asked = await submitIntake(t, intake.token, { kind: 'grant', category: 'rent', amount: 5000, alias: 'Asker', contact: marker('rqcontact'), payoutHandle: marker('rqhandle'), note: marker('rqnote') }).expect(201);
    ids.linkToken = asked.body.statusToken;
    const bill = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(marker('file'))]);
    const attached = await t.http().post(`/v1/person-links/${ids.linkToken}/attachments`).attach('file', bill, 'bill.png').expect(201);
    ids.attachmentId = attached.body.id;
    ids.requestId = await newestRequestId(t, ids.circleId, organizer);
    await openRequest(t, ids.circleId, users.member!, { kind: 'roster', alias: 'Referred', contact: marker('refcontact'), payoutHandle: marker('refhandle'), note: marker('refnote') }).expect(201);
    // A paid grant too, so receipts, reports and grants.csv have one to show.
    const paidGrant = await openRequest(t, ids.circleId, users.member!, { kind: 'grant', category: 'food', amount: 3000, alias: 'Fed', contact: marker('gcontact'), payoutHandle: marker('ghandle'), note: marker('gnote') }).expect(201);
    await requestAction(t, ids.circleId, organizer, paidGrant.body.id, 'approve').expect(200);
    await requestAction(t, ids.circleId, users.treasurer!, paidGrant.body.id, 'send', { method: 'cash' }).expect(200);
    ids.month = new Date().toISOString().slice(0, 7);
    await t.http().get(`/v1/circles/${ids.circleId}/recipients/${ids.recipientId}/private`).set(as).expect(200);
    const transfers = await t.http().get(`/v1/circles/${ids.circleId}/ledger/transfers`).set(as).expect(200);
    ids.transferId = transfers.body.items[0].id;
    const endpoint = await t.http().post(`/v1/circles/${ids.circleId}/webhooks`).set(as).send({ url: 'https://hooks.example.org/arvut', eventTypes: ['payout.sent'] }).expect(201);
    ids.endpointId = endpoint.body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('calls every GET of the contract as every role and finds the markers only in the organizer\'s /private', async () => {
    const contract = loadContract();
    const gets = contractOperations(contract).filter((op) => op.method === 'get');
    expect(gets.some((op) => op.path === PRIVATE_PATH)).toBe(true);
    const hits: string[] = [];
    const organizerFailures: string[] = [];
    let calls = 0;
    for (const op of gets) {
      const path = fillPath(contract, op, ids);
      for (const [role, user] of Object.entries(users)) {
        const req = t.http().get(path);
        if (user) req.set('Authorization', bearer(user.accessToken));
        const res = await req;
        calls++;
        expect(res.status).toBeLessThan(500);
        if (role === 'organizer' && res.status >= 400) organizerFailures.push(`${res.status} GET ${path}`);
        // Binary answers (an attached file) come as a Buffer body, not text.
        const text = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');
        if (markers.some((m) => text.includes(m))) hits.push(`${role} GET ${op.path}`);
      }
    }
    expect(calls).toBeGreaterThan(gets.length * 5);
    // The sweep is only as good as the data it reads: the organizer must get every read.
    expect(organizerFailures).toEqual([]);
    expect(hits.sort()).toEqual([`organizer GET ${ATTACHMENT_PATH}`, `organizer GET ${PRIVATE_PATH}`, `organizer GET ${REQUEST_PRIVATE_PATH}`].sort());
  });

  it('shows no marker on any page, in any language, before or after a handle is replaced through a page form', async () => {
    const as = { Authorization: bearer(users.organizer!.accessToken) };
    const recipientLink = (await t.http().post(`/v1/circles/${ids.circleId}/recipients/${ids.recipientId}/status-link`).set(as).expect(201)).body.token;
    const pages = ['/', `/ack/${ids.ackToken}`, `/link/${ids.linkToken}`, `/link/${recipientLink}`, `/ask/${ids.intakeToken}`, `/circle/${ids.circleId}`, `/circle/${ids.circleId}?after=0`];
    const sweep = async (): Promise<string[]> => {
      const hits: string[] = [];
      for (const language of ['en', 'ar', 'he']) {
        for (const path of pages) {
          const res = await t.http().get(path).set('Accept-Language', language);
          expect([res.status, res.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
          if (markers.some((m) => res.text.includes(m))) hits.push(`${language} ${path}`);
        }
      }
      return hits;
    };
    expect(await sweep()).toEqual([]);
    // The recipient replaces their handle through their page: the new one is a marker too.
    const form = await t.http().get(`/link/${recipientLink}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const cookies = (form.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    await t.http().post(`/link/${recipientLink}/handle`).set('Cookie', cookies).type('form').send({ _csrf: csrf, payoutHandle: marker('pagehandle') }).expect(303);
    expect(await sweep()).toEqual([]);
  });

  it('never writes a marker to the logs', () => {
    expect(logLines.length).toBeGreaterThan(20);
    const leaked = logLines.filter((line) => markers.some((m) => line.includes(m)));
    expect(leaked).toEqual([]);
  });
});
