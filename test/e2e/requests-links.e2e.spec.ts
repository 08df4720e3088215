// Intake links, status links and attachments: the public ways in (docs/grants.md), and the
// clear 4xx answers to bad input there, with nothing already stored lost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { postAdjustment } from '../support/ledger.js';
import { activateCycle, createCycle, generateWeek, payoutAction, sendPayout } from '../support/payouts.js';
import { today } from '../support/pledges.js';
import { createIntakeLink, newestRequestId, putRequestSettings, requestAction, submitIntake } from '../support/requests.js';
import { createRecipient } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { PrivacyService } from '../../src/privacy/privacy.service.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);

describe('intake links, status links and attachments', () => {
  let t: TestApp;
  let circleId: string;
  let organizer: TestUser;
  let treasurer: TestUser;
  const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });
  const ask = { kind: 'grant' as const, category: 'food', amount: 2500, alias: 'K.', contact: 'k@example.org', payoutHandle: '$k' };
  const upload = (token: string, content: Buffer, filename = 'file.pdf', contentType = 'application/pdf') =>
    t.http().post(`/v1/person-links/${token}/attachments`).attach('file', content, { filename, contentType });

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    expect((await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 100_000 })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a closed, rotated-away or made-up intake link answers 404; only hashes are stored', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    await t.http().get(`/v1/intake/${link.token}`).expect(200);
    const { rows } = await t.sql.query('SELECT token_hash FROM intake_links WHERE id = $1', [link.id]);
    expect(rows[0].token_hash).not.toContain(link.token);
    const rotated = await t.http().post(`/v1/circles/${circleId}/intake-links/${link.id}/rotate`).set(as(organizer)).expect(201);
    await submitIntake(t, link.token, ask).expect(404);
    await submitIntake(t, rotated.body.token, ask).expect(201);
    await t.http().post(`/v1/circles/${circleId}/intake-links/${link.id}/close`).set(as(organizer)).expect(200);
    const closed = await submitIntake(t, rotated.body.token, ask).expect(404);
    expect(closed.body.type).toBe('urn:arvut:problem:not-found');
    await t.http().get(`/v1/intake/not-a-token`).expect(404);
    await t.http().post(`/v1/circles/${circleId}/intake-links`).set(as(treasurer)).send({}).expect(403);
  });

  it('caps the open requests of a link, and refuses an oversized JSON body as before', async () => {
    const link = await createIntakeLink(t, circleId, organizer, { maxOpenRequests: 1 });
    await submitIntake(t, link.token, ask).expect(201);
    const full = await submitIntake(t, link.token, ask).expect(409);
    expect(full.body.type).toBe('urn:arvut:problem:intake-link-full');
    const big = await submitIntake(t, link.token, { ...ask, note: 'x'.repeat(200_000) }).expect(413);
    expect(big.body.type).toBe('urn:arvut:problem:payload-too-large');
    // Deciding the open one makes room again.
    await requestAction(t, circleId, organizer, await newestRequestId(t, circleId, organizer), 'decline', { reason: 'duplicate' }).expect(200);
    await submitIntake(t, link.token, ask).expect(201);
  });

  it('rate-limits each address on the intake routes', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i++) status = (await t.http().get(`/v1/intake/${link.token}`)).status;
    expect(status).toBe(429);
  });

  it('takes up to 3 JPEG, PNG or PDF files of at most 5 MB, judged by content; refuses the rest and keeps what was stored', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    const token: string = (await submitIntake(t, link.token, ask).expect(201)).body.statusToken;
    const requestId = await newestRequestId(t, circleId, organizer);
    const off = await upload(token, PDF).expect(409);
    expect(off.body.type).toBe('urn:arvut:problem:invalid-state');
    await putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: true }).expect(200);

    await upload(token, PDF).expect(201);
    const fake = await upload(token, Buffer.from('MZ not really a pdf'), 'bill.pdf', 'application/pdf').expect(415);
    expect(fake.body.type).toBe('urn:arvut:problem:unsupported-file-type');
    const huge = await upload(token, Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)])).expect(413);
    expect(huge.body.type).toBe('urn:arvut:problem:payload-too-large');
    const json = await t.http().post(`/v1/person-links/${token}/attachments`).send({ file: PDF.toString('base64') }).expect(415);
    expect(json.body.type).toBe('urn:arvut:problem:unsupported-file-type');
    await upload(token, PNG, 'a.png', 'image/png').expect(201);
    const jpeg = await upload(token, JPEG, 'b.txt', 'text/plain').expect(201);
    expect(jpeg.body.contentType).toBe('image/jpeg');
    const fourth = await upload(token, PDF).expect(409);
    expect(fourth.body.type).toBe('urn:arvut:problem:too-many-attachments');

    const files = await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/attachments`).set(as(organizer)).expect(200);
    expect(files.body.map((f: { contentType: string }) => f.contentType)).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
    // Sealed: the stored bytes are not the file's.
    const { rows } = await t.sql.query('SELECT sealed FROM vault_attachments WHERE id = $1', [files.body[0].id]);
    expect((rows[0].sealed as Buffer).includes(PDF)).toBe(false);
    await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/attachments`).set(as(treasurer)).expect(403);
    // Each read is logged like a vault read.
    const before = (await t.sql.query('SELECT count(*)::int AS n FROM vault_reads WHERE circle_id = $1', [circleId])).rows[0].n;
    await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/attachments/${files.body[1].id}`).set(as(organizer)).expect(200);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM vault_reads WHERE circle_id = $1', [circleId])).rows[0].n).toBe(before + 1);

    // Withdrawing decides the request: its files go, and the retention clock starts for the rest.
    await t.http().post(`/v1/person-links/${token}/withdraw`).expect(200);
    await upload(token, PDF).expect(409);
    expect((await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/attachments`).set(as(organizer)).expect(200)).body).toEqual([]);
    const purged = await t.app.get(PrivacyService).purgeExpired(new Date(Date.now() + 31 * 86_400_000));
    expect(purged).toBeGreaterThanOrEqual(1);
    await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/private`).set(as(organizer)).expect(404);
  });

  it('a requester updates their payout handle and withdraws; a revoked link answers 404', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    const token: string = (await submitIntake(t, link.token, ask).expect(201)).body.statusToken;
    const requestId = await newestRequestId(t, circleId, organizer);
    await t.http().patch(`/v1/person-links/${token}/private`).send({ payoutHandle: '$new-handle' }).expect(204);
    await t.http().patch(`/v1/person-links/${token}/private`).send({}).expect(400);
    const vault = await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/private`).set(as(organizer)).expect(200);
    expect(vault.body).toMatchObject({ contact: 'k@example.org', payoutHandle: '$new-handle' });
    const view = await t.http().get(`/v1/person-links/${token}`).expect(200);
    expect(JSON.stringify(view.body)).not.toContain('new-handle');
    await t.http().post(`/v1/person-links/${token}/acknowledge`).expect(409);

    const fresh = await t.http().post(`/v1/circles/${circleId}/requests/${requestId}/status-link`).set(as(organizer)).expect(201);
    await t.http().get(`/v1/person-links/${token}`).expect(404);
    const withdrawn = await t.http().post(`/v1/person-links/${fresh.body.token}/withdraw`).expect(200);
    expect(withdrawn.body.request.status).toBe('withdrawn');
    await t.http().post(`/v1/person-links/${fresh.body.token}/withdraw`).expect(409);
    await t.http().delete(`/v1/circles/${circleId}/requests/${requestId}/status-link`).set(as(organizer)).expect(204);
    await t.http().get(`/v1/person-links/${fresh.body.token}`).expect(404);
  });

  it('a roster recipient acknowledges a payout through their own link', async () => {
    const recipient = await createRecipient(t, circleId, organizer, { alias: 'Linked' });
    const cycle = await createCycle(t, circleId, organizer, { slots: 1, weeks: 2, startsOn: today() });
    await activateCycle(t, circleId, organizer, cycle.id);
    const week = await generateWeek(t, circleId, organizer, cycle.id, 1).expect(201);
    const payoutId: string = week.body.payouts[0].id;
    await payoutAction(t, circleId, organizer, payoutId, 'approve').expect(200);
    const link = await t.http().post(`/v1/circles/${circleId}/recipients/${recipient.id}/status-link`).set(as(organizer)).expect(201);
    await t.http().post(`/v1/person-links/${link.body.token}/payouts/${payoutId}/acknowledge`).expect(409);
    await sendPayout(t, circleId, treasurer, payoutId).expect(200);
    const view = await t.http().get(`/v1/person-links/${link.body.token}`).expect(200);
    expect(view.body).toMatchObject({ request: null, roster: { status: 'active', payouts: [{ id: payoutId, status: 'sent', amount: 17500 }] } });
    const ack = await t.http().post(`/v1/person-links/${link.body.token}/payouts/${payoutId}/acknowledge`).expect(200);
    expect(ack.body.status).toBe('acknowledged');
    await t.http().post(`/v1/person-links/${link.body.token}/payouts/${payoutId}/acknowledge`).expect(409);
    await t.http().post(`/v1/person-links/${link.body.token}/withdraw`).expect(404);
    await t.http().post(`/v1/person-links/${link.body.token}/exit`).send({ reason: 'no_response' }).expect(400);
  });
});
