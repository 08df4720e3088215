// Invariant 9 (docs/design.md), generated from the contract: recipients are given
// unique marker strings in every vault field, the circle is run through a week (payouts,
// pledges, contributions, receipts), then EVERY GET operation in openapi.yaml is called as
// every role and without a token. The markers may appear in exactly one place: the
// organizer's GET …/recipients/{recipientId}/private. They never reach a log line.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { contractOperations, fillPath, loadContract } from '../support/openapi.js';
import { activateCycle, createCycle, generateWeek, issueAcknowledgementLink, payoutAction, sendPayout } from '../support/payouts.js';
import { postContribution, postPledge, today } from '../support/pledges.js';
import { createRecipient, transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PRIVATE_PATH = '/v1/circles/{circleId}/recipients/{recipientId}/private';

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
    await t.http().patch(`/v1/circles/${ids.circleId}`).set(as).set('If-Match', circle.headers.etag as string).send({ showRecipientAliases: true }).expect(200);
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
    expect((await issueAcknowledgementLink(t, ids.circleId, users.treasurer!, ids.payoutId)).status).toBeLessThan(300);

    const pledge = await postPledge(t, users.donor!, ids.circleId, { amount: 2000, method: 'manual' });
    expect(pledge.status).toBe(201);
    ids.pledgeId = pledge.body.id;
    const contribution = await postContribution(t, users.treasurer!, ids.circleId, { pledgeId: ids.pledgeId, amount: 2000, method: 'cash', receivedOn: today() });
    expect(contribution.status).toBe(201);

    await transition(t, ids.circleId, organizer, recipients[1], 'exit', { reason: 'employed' }).expect(200);
    await t.http().get(`/v1/circles/${ids.circleId}/recipients/${ids.recipientId}/private`).set(as).expect(200);
    const transfers = await t.http().get(`/v1/circles/${ids.circleId}/ledger/transfers`).set(as).expect(200);
    ids.transferId = transfers.body.items[0].id;
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
        const text = res.text ?? '';
        if (markers.some((m) => text.includes(m))) hits.push(`${role} GET ${op.path}`);
      }
    }
    expect(calls).toBeGreaterThan(gets.length * 5);
    // The sweep is only as good as the data it reads: the organizer must get every read.
    expect(organizerFailures).toEqual([]);
    expect(hits).toEqual([`organizer GET ${PRIVATE_PATH}`]);
  });

  it('never writes a marker to the logs', () => {
    expect(logLines.length).toBeGreaterThan(20);
    const leaked = logLines.filter((line) => markers.some((m) => line.includes(m)));
    expect(leaked).toEqual([]);
  });
});
