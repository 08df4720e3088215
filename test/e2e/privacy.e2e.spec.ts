import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { PrivacyService } from '../../src/privacy/privacy.service.js';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, createCircle, type TestUser } from '../support/circles.js';
import { createRecipient, transition } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;
const RUN = randomBytes(4).toString('hex');
/** Unique strings per vault field; none may appear outside the vault or an organizer's /private answer. */
const marker = (what: string) => `mk${RUN}-${what}-${randomBytes(3).toString('hex')}`;
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

describe('privacy: the vault, its read log, erasure and retention', () => {
  const logs: string[] = [];
  const vaultMarkers: string[] = [];
  const aliasMarkers: string[] = [];
  let t: TestApp;
  let organizer: TestUser;
  let treasurer: TestUser;
  let donor: TestUser;
  let outsider: TestUser;
  let circleId: string;

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'trace' }, { logLines: logs });
    organizer = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    circleId = await createCircle(t, organizer);
    treasurer = await addMember(t, circleId, organizer, 'treasurer');
    donor = await addMember(t, circleId, organizer, 'donor');
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (u: TestUser) => ({ Authorization: bearer(u.accessToken) });
  const path = (recipientId: string, suffix = '', circle = circleId) => `/v1/circles/${circle}/recipients/${recipientId}${suffix}`;

  /** A recipient with a fresh marker in the alias and in every vault field. */
  async function markedRecipient(circle = circleId) {
    const fields = { contact: marker('contact'), payoutHandle: `$${marker('handle')}`, note: marker('note') };
    const alias = `A${RUN}${randomBytes(2).toString('hex')}`;
    vaultMarkers.push(...Object.values(fields));
    aliasMarkers.push(alias);
    const r = await createRecipient(t, circle, organizer, { alias, ...fields });
    return { ...r, fields };
  }

  /** Every row of every table, as text. */
  async function wholeDatabase(): Promise<string> {
    const tables = await t.sql.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    const parts: string[] = [];
    for (const { table_name } of tables.rows) parts.push(...(await t.sql.query(`SELECT t::text AS row FROM "${table_name}" t`)).rows.map((r) => `${table_name}: ${r.row}`));
    return parts.join('\n');
  }

  it('stores vault fields encrypted: no table holds them in plain text or plain hex', async () => {
    const r = await markedRecipient();
    const stored = await t.sql.query('SELECT contact, payout_handle, note, wrapped_key, key_id, key_version FROM vault_entries WHERE recipient_id = $1', [r.id]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].key_id).toBe(stored.rows[0].key_id.toLowerCase());
    expect(stored.rows[0].wrapped_key.length).toBe(1 + 12 + 16 + 32);
    const db = await wholeDatabase();
    expect(db).toContain(r.id);
    for (const value of Object.values(r.fields)) {
      expect(db).not.toContain(value);
      expect(db).not.toContain(hex(value));
    }
    for (const view of [await t.http().get(path(r.id)).set(as(organizer)).expect(200), await t.http().get(`/v1/circles/${circleId}/recipients`).set(as(treasurer)).expect(200)]) {
      for (const value of Object.values(r.fields)) expect(JSON.stringify(view.body)).not.toContain(value);
    }
  });

  it('lets organizers read the vault, recording each read (who, when, which recipient)', async () => {
    const r = await markedRecipient();
    const first = await t.http().get(path(r.id, '/private')).set(as(organizer)).expect(200);
    expect(first.body).toEqual({ recipientId: r.id, ...r.fields, updatedAt: expect.any(String) });
    await t.http().get(path(r.id, '/private')).set(as(organizer)).expect(200);
    const reads = await t.http().get(path(r.id, '/private/reads')).set(as(organizer)).expect(200);
    expect(reads.body.items).toHaveLength(2);
    expect(reads.body.items[0]).toEqual({ id: expect.any(String), readBy: organizer.userId, readAt: expect.any(String) });
    expect(Date.parse(reads.body.items[0].readAt)).toBeGreaterThanOrEqual(Date.parse(reads.body.items[1].readAt));
    const page = await t.http().get(path(r.id, '/private/reads?limit=1')).set(as(organizer)).expect(200);
    const rest = await t.http().get(path(r.id, `/private/reads?limit=1&cursor=${page.body.nextCursor}`)).set(as(organizer)).expect(200);
    expect([page.body.items[0].id, rest.body.items[0].id]).toEqual(reads.body.items.map((i: { id: string }) => i.id));
    const logged = await t.sql.query('SELECT v::text AS row FROM vault_reads v WHERE recipient_id = $1', [r.id]);
    expect(logged.rows).toHaveLength(2);
    for (const value of Object.values(r.fields)) expect(logged.rows.map((x) => x.row).join()).not.toContain(value);
  });

  it('keeps the vault from treasurers (403), donors (403) and strangers (404), and does not log their attempts as reads', async () => {
    const r = await markedRecipient();
    for (const u of [treasurer, donor]) {
      const res = await t.http().get(path(r.id, '/private')).set(as(u)).expect(403);
      expect(res.body.type).toBe('urn:arvut:problem:forbidden');
      await t.http().get(path(r.id, '/private/reads')).set(as(u)).expect(403);
      await t.http().put(path(r.id, '/private')).set(as(u)).send({ note: 'x' }).expect(403);
      await t.http().delete(path(r.id, '/private')).set(as(u)).expect(403);
    }
    await t.http().get(path(r.id, '/private')).set(as(outsider)).expect(404);
    await t.http().get(path(randomUUID(), '/private')).set(as(organizer)).expect(404);
    const other = await createCircle(t, organizer);
    await t.http().get(path(r.id, '/private', other)).set(as(organizer)).expect(404);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM vault_reads WHERE recipient_id = $1', [r.id])).rows[0].n).toBe(0);
  });

  it('replaces the vault under a fresh key; fields left out are cleared; none given means nothing stored', async () => {
    const bare = await createRecipient(t, circleId, organizer);
    const none = await t.http().get(path(bare.id, '/private')).set(as(organizer)).expect(404);
    expect(none.body.detail).toMatch(/none was given/);
    const handle = `$${marker('newhandle')}`;
    vaultMarkers.push(handle);
    await t.http().put(path(bare.id, '/private')).set(as(organizer)).send({ payoutHandle: handle }).expect(204);
    const before = (await t.sql.query('SELECT wrapped_key FROM vault_entries WHERE recipient_id = $1', [bare.id])).rows[0].wrapped_key as Buffer;
    expect((await t.http().get(path(bare.id, '/private')).set(as(organizer)).expect(200)).body).toMatchObject({ contact: null, payoutHandle: handle, note: null });
    const note = marker('newnote');
    vaultMarkers.push(note);
    await t.http().put(path(bare.id, '/private')).set(as(organizer)).send({ note }).expect(204);
    expect((await t.http().get(path(bare.id, '/private')).set(as(organizer)).expect(200)).body).toMatchObject({ contact: null, payoutHandle: null, note });
    const after = (await t.sql.query('SELECT wrapped_key FROM vault_entries WHERE recipient_id = $1', [bare.id])).rows[0].wrapped_key as Buffer;
    expect(after.equals(before)).toBe(false);
    await t.http().put(path(bare.id, '/private')).set(as(organizer)).send({ contact: 'x'.repeat(201) }).expect(400);
  });

  it('refuses to open a tampered field or a field moved to another column or recipient (AES-GCM with bound AAD)', async () => {
    const a = await markedRecipient();
    const b = await markedRecipient();
    const read = (id: string) => t.http().get(path(id, '/private')).set(as(organizer));

    await t.sql.query('UPDATE vault_entries SET payout_handle = set_byte(payout_handle, 30, get_byte(payout_handle, 30) # 1) WHERE recipient_id = $1', [a.id]);
    const tampered = await read(a.id).expect(500);
    expect(tampered.body.type).toBe('urn:arvut:problem:internal-error');
    await t.sql.query('UPDATE vault_entries SET payout_handle = set_byte(payout_handle, 30, get_byte(payout_handle, 30) # 1) WHERE recipient_id = $1', [a.id]);
    await read(a.id).expect(200);

    await t.sql.query('UPDATE vault_entries SET contact = note, note = contact WHERE recipient_id = $1', [a.id]);
    await read(a.id).expect(500);
    await t.sql.query('UPDATE vault_entries SET contact = note, note = contact WHERE recipient_id = $1', [a.id]);
    await read(a.id).expect(200);

    const saved = (await t.sql.query('SELECT contact, payout_handle, note, wrapped_key FROM vault_entries WHERE recipient_id = $1', [b.id])).rows[0];
    await t.sql.query(
      `UPDATE vault_entries v SET contact = a.contact, payout_handle = a.payout_handle, note = a.note, wrapped_key = a.wrapped_key
         FROM vault_entries a WHERE a.recipient_id = $1 AND v.recipient_id = $2`,
      [a.id, b.id],
    );
    const swapped = await read(b.id).expect(500);
    for (const value of [...Object.values(a.fields), ...Object.values(b.fields)]) expect(JSON.stringify(swapped.body)).not.toContain(value);
    await t.sql.query('UPDATE vault_entries SET contact = $2, payout_handle = $3, note = $4, wrapped_key = $5 WHERE recipient_id = $1', [b.id, saved.contact, saved.payout_handle, saved.note, saved.wrapped_key]);
    expect((await read(b.id).expect(200)).body).toMatchObject(b.fields);
  });

  it('erases: the vault and its key are destroyed, the alias becomes a neutral code, the ledger is untouched', async () => {
    const r = await markedRecipient();
    await transition(t, circleId, organizer, r.id, 'offer').expect(200);
    await transition(t, circleId, organizer, r.id, 'accept').expect(200);
    await t.http().get(path(r.id, '/private')).set(as(organizer)).expect(200);
    const hasLedger = (await t.sql.query(`SELECT to_regclass('ledger_entries') IS NOT NULL AS yes`)).rows[0].yes as boolean;
    if (hasLedger) {
      await t.http().post(`/v1/circles/${circleId}/ledger/adjustments`).set(as(organizer)).set('Idempotency-Key', randomUUID()).send({ direction: 'in', amount: 52500 }).expect(201);
    }
    const totals = async () =>
      hasLedger
        ? (
            await t.sql.query(
              `SELECT (SELECT count(*) FROM ledger_entries)::int AS entries, (SELECT coalesce(sum(amount), 0)::text FROM ledger_entries WHERE amount > 0) AS debits,
                      (SELECT coalesce(sum(debit_total), 0)::text || '/' || coalesce(sum(credit_total), 0)::text FROM ledger_accounts WHERE circle_id = $1) AS accounts`,
              [circleId],
            )
          ).rows[0]
        : null;
    const ledgerBefore = await totals();
    const historyBefore = (await t.sql.query('SELECT count(*)::int AS n FROM recipient_status_history WHERE recipient_id = $1', [r.id])).rows[0].n;

    const erased = await t.http().delete(path(r.id, '/private')).set(as(organizer)).expect(200);
    expect(erased.body).toMatchObject({ id: r.id, status: 'active', erased: true });
    expect(erased.body.alias).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM vault_entries WHERE recipient_id = $1', [r.id])).rows[0].n).toBe(0);
    const gone = await t.http().get(path(r.id, '/private')).set(as(organizer)).expect(404);
    expect(gone.body.detail).toMatch(/erased/);
    expect((await t.http().get(path(r.id)).set(as(treasurer)).expect(200)).body.alias).toBe(erased.body.alias);
    const db = await wholeDatabase();
    for (const value of [...Object.values(r.fields), aliasMarkers.at(-1)!]) expect(db).not.toContain(value);

    // It stays erased: no new alias or vault data can name the person again; a repeat changes nothing.
    expect((await t.http().patch(path(r.id)).set(as(organizer)).send({ alias: 'Back again' }).expect(409)).body.type).toBe('urn:arvut:problem:invalid-state');
    await t.http().put(path(r.id, '/private')).set(as(organizer)).send({ note: 'new' }).expect(409);
    expect((await t.http().delete(path(r.id, '/private')).set(as(organizer)).expect(200)).body.alias).toBe(erased.body.alias);

    // The read log and the status history stay: they hold ids and times only.
    expect((await t.http().get(path(r.id, '/private/reads')).set(as(organizer)).expect(200)).body.items).toHaveLength(1);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM recipient_status_history WHERE recipient_id = $1', [r.id])).rows[0].n).toBe(historyBefore);
    expect(await totals()).toEqual(ledgerBefore);
    if (hasLedger) expect(ledgerBefore!.entries).toBeGreaterThan(0);
  });

  it('purges vault rows once a recipient has been gone longer than the circle\'s retentionDays', async () => {
    const short = await createCircle(t, organizer);
    const read = await t.http().get(`/v1/circles/${short}`).set(as(organizer)).expect(200);
    await t.http().patch(`/v1/circles/${short}`).set(as(organizer)).set('If-Match', read.headers.etag as string).send({ retentionDays: 5 }).expect(200);
    const gone = await markedRecipient(short);
    const staying = await markedRecipient(short);
    const waiting = await markedRecipient(short);
    const elsewhere = await markedRecipient(circleId); // default retention: 30 days
    for (const [circle, r] of [[short, gone], [short, staying], [circleId, elsewhere]] as const) {
      await transition(t, circle, organizer, r.id, 'offer').expect(200);
      await transition(t, circle, organizer, r.id, 'accept').expect(200);
    }
    const exitAt = Date.now();
    await transition(t, short, organizer, gone.id, 'exit', { reason: 'employed' }).expect(200);
    await transition(t, circleId, organizer, elsewhere.id, 'exit', { reason: 'moved' }).expect(200);
    const stored = async () => new Set((await t.sql.query('SELECT recipient_id FROM vault_entries WHERE recipient_id = ANY($1)', [[gone.id, staying.id, waiting.id, elsewhere.id]])).rows.map((r) => r.recipient_id));

    const privacy = t.app.get(PrivacyService);
    await privacy.purgeExpired(new Date(exitAt + 4 * DAY));
    expect(await stored()).toEqual(new Set([gone.id, staying.id, waiting.id, elsewhere.id]));
    expect(await privacy.purgeExpired(new Date(exitAt + 6 * DAY))).toBeGreaterThanOrEqual(1);
    expect(await stored()).toEqual(new Set([staying.id, waiting.id, elsewhere.id]));
    await privacy.purgeExpired(new Date(exitAt + 31 * DAY));
    expect(await stored()).toEqual(new Set([staying.id, waiting.id]));

    const purged = await t.http().get(path(gone.id, '/private', short)).set(as(organizer)).expect(404);
    expect(purged.body.detail).toMatch(/purged/);
    // Retention removes the vault only; the roster entry and its alias stay.
    expect((await t.http().get(path(gone.id, '', short)).set(as(organizer)).expect(200)).body).toMatchObject({ status: 'exited', alias: aliasMarkers[aliasMarkers.length - 4] });
    await t.http().put(path(gone.id, '/private', short)).set(as(organizer)).send({ note: 'after exit' }).expect(409);
  });

  it('never writes a vault value or an alias to the logs or into an error', async () => {
    const r = await markedRecipient();
    const tooLong = `${marker('alias')}${'z'.repeat(40)}`;
    const bad = await t.http().post(`/v1/circles/${circleId}/recipients`).set(as(organizer)).send({ alias: tooLong, contact: vaultMarkers[0] }).expect(400);
    expect(JSON.stringify(bad.body)).not.toContain(tooLong);
    expect(JSON.stringify(bad.body)).not.toContain(vaultMarkers[0]);
    const malformed = await t.http().post(`/v1/circles/${circleId}/recipients`).set(as(organizer)).set('Content-Type', 'application/json').send(`{"alias": "${r.alias}", "note": "${vaultMarkers[1]}"`).expect(400);
    expect(JSON.stringify(malformed.body)).not.toContain(vaultMarkers[1]);
    await t.http().patch(path(r.id)).set(as(organizer)).send({ alias: aliasMarkers[0] }).expect(200);

    const text = logs.join('');
    expect(text).toContain(path(r.id)); // the requests were logged…
    for (const value of [...vaultMarkers, ...aliasMarkers, tooLong]) expect(text).not.toContain(value); // …without what they carried
  });
});
