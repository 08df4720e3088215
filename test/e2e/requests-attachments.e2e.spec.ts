// Organizers attach files to an open request (docs/grants.md, "Attachments"): the same limits
// as the requester's own upload, counted together, sealed in the vault, each read logged, and
// only organizers of the circle may upload (the access check comes before the upload is read).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { authHeader } from '../support/problems.js';
import { createIntakeLink, newestRequestId, openRequest, putRequestSettings, requestAction, submitIntake } from '../support/requests.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\nORGANIZER-ATTACHMENT-MARKER\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe('organizers attach files to a request', () => {
  let t: TestApp;
  let circleId: string;
  let organizer: TestUser;
  let treasurer: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  const ask = { kind: 'grant' as const, category: 'utilities', amount: 3000, alias: 'U.', contact: 'u@example.org' };
  const upload = (user: TestUser, requestId: string, content: Buffer, filename = 'bill.pdf', contentType = 'application/pdf') =>
    t.http().post(`/v1/circles/${circleId}/requests/${requestId}/attachments`).set(authHeader(user)).attach('file', content, { filename, contentType });
  const files = async (requestId: string) => (await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/attachments`).set(authHeader(organizer)).expect(200)).body as { id: string; contentType: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    member = await addMember(t, circleId, organizer, 'member');
  });
  afterAll(async () => {
    await t.close();
  });

  it('only when the circle takes attachments, and only organizers of the circle', async () => {
    const r = await openRequest(t, circleId, member, ask).expect(201);
    const off = await upload(organizer, r.body.id, PDF).expect(409);
    expect(off.body.type).toBe('urn:arvut:problem:invalid-state');
    await putRequestSettings(t, circleId, organizer, { grantBudgetMonthly: null, twoPersonThreshold: null, attachmentsEnabled: true }).expect(200);
    for (const user of [treasurer, member]) {
      const res = await upload(user, r.body.id, PDF).expect(403);
      expect(res.body.type).toBe('urn:arvut:problem:forbidden');
    }
    const stranger = await upload(outsider, r.body.id, PDF).expect(404);
    expect(stranger.body.type).toBe('urn:arvut:problem:not-found');
    expect(await files(r.body.id)).toEqual([]);
    const ok = await upload(organizer, r.body.id, PDF).expect(201);
    expect(ok.body).toMatchObject({ contentType: 'application/pdf', sizeBytes: PDF.length });
    // Sealed in the vault: the stored bytes are not the file's.
    const { rows } = await t.sql.query('SELECT sealed FROM vault_attachments WHERE id = $1', [ok.body.id]);
    expect((rows[0].sealed as Buffer).includes(Buffer.from('ORGANIZER-ATTACHMENT-MARKER'))).toBe(false);
    // Recorded with who added it.
    const detail = await t.http().get(`/v1/circles/${circleId}/requests/${r.body.id}`).set(authHeader(organizer)).expect(200);
    expect(detail.body.history).toEqual(expect.arrayContaining([expect.objectContaining({ event: 'attachment_added', actor: 'user', actorUserId: organizer.userId })]));
    // An unknown request of the circle is a 404 too.
    await upload(organizer, '00000000-0000-4000-8000-000000000000', PDF).expect(404);
  });

  it('keeps the requester\'s limits: content-judged type, 5 MB, 3 files counting the requester\'s own', async () => {
    const link = await createIntakeLink(t, circleId, organizer);
    const token: string = (await submitIntake(t, link.token, ask).expect(201)).body.statusToken;
    const requestId = await newestRequestId(t, circleId, organizer);
    await t.http().post(`/v1/person-links/${token}/attachments`).attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' }).expect(201);

    const fake = await upload(organizer, requestId, Buffer.from('MZ not really a pdf')).expect(415);
    expect(fake.body.type).toBe('urn:arvut:problem:unsupported-file-type');
    const huge = await upload(organizer, requestId, Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)])).expect(413);
    expect(huge.body.type).toBe('urn:arvut:problem:payload-too-large');
    const json = await t.http().post(`/v1/circles/${circleId}/requests/${requestId}/attachments`).set(authHeader(organizer)).send({ file: PDF.toString('base64') }).expect(415);
    expect(json.body.type).toBe('urn:arvut:problem:unsupported-file-type');
    expect(await files(requestId)).toHaveLength(1);

    await upload(organizer, requestId, PNG, 'scan.txt', 'text/plain').expect(201);
    await upload(organizer, requestId, PDF).expect(201);
    const fourth = await upload(organizer, requestId, PDF).expect(409);
    expect(fourth.body.type).toBe('urn:arvut:problem:too-many-attachments');
    const theirs = await t.http().post(`/v1/person-links/${token}/attachments`).attach('file', PDF, { filename: 'b.pdf', contentType: 'application/pdf' }).expect(409);
    expect(theirs.body.type).toBe('urn:arvut:problem:too-many-attachments');
    const listed = await files(requestId);
    expect(listed.map((f) => f.contentType)).toEqual(['application/pdf', 'image/png', 'application/pdf']);

    // Each download is logged like a vault read.
    const count = async () => (await t.sql.query('SELECT count(*)::int AS n FROM vault_reads WHERE circle_id = $1', [circleId])).rows[0].n as number;
    const before = await count();
    const read = await t.http().get(`/v1/circles/${circleId}/requests/${requestId}/attachments/${listed[2].id}`).set(authHeader(organizer)).buffer(true).expect(200);
    expect(Buffer.compare(read.body as Buffer, PDF)).toBe(0);
    expect(await count()).toBe(before + 1);

    // A decided request takes no more files, and its files are gone.
    await requestAction(t, circleId, organizer, requestId, 'decline', { reason: 'duplicate' }).expect(200);
    const decided = await upload(organizer, requestId, PDF).expect(409);
    expect(decided.body).toMatchObject({ type: 'urn:arvut:problem:invalid-state', state: 'declined' });
    expect(await files(requestId)).toEqual([]);
  });
});
