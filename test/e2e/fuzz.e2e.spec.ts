// A seeded, bounded fuzz run generated from openapi.yaml: every operation, called as the
// circle's organizer, as a stranger and anonymously, with hostile values in its body, query,
// path and headers. However bad the input, the answer is never a 5xx, every 4xx is an
// RFC 9457 problem document, and the books still pass the ledger check afterwards (checked
// when the app closes). docs/security.md, "Bad input".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, registerAndLogin, TEST_PASSWORD } from '../support/auth.js';
import { createCircle, type TestUser } from '../support/circles.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { postAdjustment } from '../support/ledger.js';
import { contractOperations, fillPath, loadContract, sampleBody, sampleQuery, type ContractOperation } from '../support/openapi.js';
import { activateCycle, createCycle } from '../support/payouts.js';
import { seededRandom, type Random } from '../support/random.js';
import { createRecipient } from '../support/roster.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const CASES_PER_CALLER = 24;

const contract = loadContract();
const operations = contractOperations(contract);

/** Values of every wrong kind, for any field. JSON text, so unsafe integers stay exact. */
const HOSTILE_VALUES: string[] = [
  '0', '-1', '1.5', '-0', '1e308', '-1e308', '9007199254740993', '-9223372036854775809', '99999999999999999999999',
  'true', 'null', '[]', '{}', '[[[[[]]]]]', '""', '" "', '"text"',
  JSON.stringify('\ud800'), JSON.stringify('a\udfffb'), JSON.stringify('nul\u0000byte'), JSON.stringify('x'.repeat(20_000)),
  JSON.stringify('\u202eevil'), JSON.stringify('<script>alert(1)</script>'), JSON.stringify("'; DROP TABLE circles; --"),
  JSON.stringify('../../etc/passwd'), JSON.stringify('💸'.repeat(50)), JSON.stringify({ __proto__: null, $gt: '' }),
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
];

/** Whole bodies that are wrong before any field is read. */
const HOSTILE_BODIES: { type: string; body: string }[] = [
  { type: 'application/json', body: '{"a":' },
  { type: 'application/json', body: '{a:1}' },
  { type: 'application/json', body: '[1,2' },
  { type: 'application/json', body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
  { type: 'application/json', body: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}` },
  { type: 'application/json', body: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}' },
  { type: 'application/json', body: '"just a string"' },
  { type: 'application/json', body: '12345678901234567890' },
  { type: 'text/plain', body: 'hello' },
  { type: 'application/x-www-form-urlencoded', body: 'a=1&b=2' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--' },
  { type: 'application/xml', body: '<a>1</a>' },
  { type: 'application/json; charset=utf-16', body: '{}' },
];

const HOSTILE_QUERY_VALUES = ['-1', '0', '1000000', 'abc', '1.5', '99999999999999999999', '%00', '%ED%A0%80', 'x'.repeat(5000), '[]', '{"a":1}'];
const HOSTILE_PATH_VALUES = ['not-a-uuid', '%00', '%ED%A0%80', 'x'.repeat(2000), '..%2F..%2Fetc', '00000000-0000-0000-0000-000000000000', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ', '1'];
const HOSTILE_HEADERS: [string, string][] = [
  ['Idempotency-Key', 'k'.repeat(300)],
  ['Idempotency-Key', ''],
  ['If-Match', 'garbage'],
  ['If-Match', '"999999999999999999999"'],
  ['If-None-Match', '*'],
  ['X-Request-Id', '../../../etc'],
  ['Accept', 'application/xml'],
];

interface Case {
  label: string;
  method: ContractOperation['method'];
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: { type: string; text: string };
}

/** The operation's sample body as JSON text with one field (or the whole) replaced. */
function mutatedBody(op: ContractOperation, random: Random): { label: string; text: string } {
  const sample = sampleBody(contract, op);
  const value = random.pick(HOSTILE_VALUES);
  if (sample && typeof sample === 'object' && !Array.isArray(sample)) {
    const keys = Object.keys(sample);
    const schema = op.requestBody?.content?.['application/json']?.schema;
    const known = Object.keys((schema?.$ref ? contract.components?.schemas?.[schema.$ref.split('/').pop()!] : schema)?.properties ?? {});
    const key = random.pick([...keys, ...known, 'unexpectedField', '__proto__']);
    const rest = Object.entries(sample as Record<string, unknown>).filter(([k]) => k !== key).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    return { label: `body.${key}=${value.slice(0, 40)}`, text: `{${[...rest, `${JSON.stringify(key)}:${value}`].join(',')}}` };
  }
  return { label: `body=${value.slice(0, 40)}`, text: value };
}

/** One hostile request for `op`; `ids` holds real ids of the organizer's circle to aim deeper. */
function makeCase(op: ContractOperation, random: Random, ids: Record<string, string>): Case {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const values: Record<string, string> = {};
  for (const name of pathParams) if (ids[name] && random.chance(0.8)) values[name] = ids[name];
  const baseQuery = new URLSearchParams(Object.entries(sampleQuery(contract, op)).map(([k, v]) => [k, String(v)]));
  const headers: Record<string, string> = {};
  if (op.method === 'post') headers['Idempotency-Key'] = randomUUID();
  if (op.method !== 'get' && op.method !== 'post') headers['If-Match'] = '"1"';
  const sample = sampleBody(contract, op);
  let body = sample === undefined ? undefined : { type: 'application/json', text: JSON.stringify(sample) };
  let label: string;

  const kind = random.pick(['body', 'body', 'body', 'whole-body', 'query', 'path', 'header']);
  let path = fillPath(contract, op, values);
  let query = baseQuery.toString();
  if (kind === 'body' && op.method !== 'get') {
    const mutated = mutatedBody(op, random);
    body = { type: 'application/json', text: mutated.text };
    label = mutated.label;
  } else if (kind === 'whole-body' && op.method !== 'get') {
    const hostile = random.pick(HOSTILE_BODIES);
    body = { type: hostile.type, text: hostile.body };
    label = `whole body ${hostile.type}: ${hostile.body.slice(0, 30)}`;
  } else if (kind === 'path' && pathParams.length) {
    const name = random.pick(pathParams);
    const raw = random.pick(HOSTILE_PATH_VALUES);
    path = op.path.replace(/\{(\w+)\}/g, (_m, n: string) => (n === name ? raw : encodeURIComponent(values[n] ?? ids[n] ?? randomUUID())));
    label = `path.${name}=${raw.slice(0, 40)}`;
  } else if (kind === 'header') {
    const [name, value] = random.pick(HOSTILE_HEADERS);
    headers[name] = value;
    label = `header ${name}: ${value.slice(0, 40)}`;
  } else {
    const name = random.pick(['limit', 'cursor', 'status', 'week', 'after', 'from', ...baseQuery.keys()]);
    const raw = random.pick(HOSTILE_QUERY_VALUES);
    query = `${query ? `${query}&` : ''}${name}=${raw}`;
    label = `query ${name}=${raw.slice(0, 40)}`;
  }
  return { label, method: op.method, path, query, headers, body };
}

function send(t: TestApp, c: Case, token: string | undefined): Promise<Response> {
  let req = t.http()[c.method](c.query ? `${c.path}?${c.query}` : c.path);
  if (token) req = req.set('Authorization', bearer(token));
  for (const [name, value] of Object.entries(c.headers)) req = req.set(name, value);
  if (c.body) req = req.set('Content-Type', c.body.type).send(c.body.text);
  return req;
}

/** What is wrong with an answer, or undefined: never a 5xx; every 4xx a problem document. */
function fault(res: Response): string | undefined {
  if (res.status >= 500) return `status ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status < 400) return undefined;
  if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) return `status ${res.status} without a problem document (${res.headers['content-type']})`;
  const body = res.body as Record<string, unknown>;
  if (typeof body.type !== 'string' || typeof body.title !== 'string' || body.status !== res.status || typeof body.detail !== 'string') return `malformed problem: ${res.text.slice(0, 200)}`;
  return undefined;
}

describe(`fuzzing every operation in openapi.yaml (seed ${SEED})`, () => {
  let t: TestApp;
  let stripe: FakeStripe;
  let organizer: TestUser;
  let stranger: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Card payments configured (against a local fake of Stripe), so their routes are fuzzed
    // past the "not configured" answer.
    stripe = await FakeStripe.start();
    t = await createTestApp(stripe.env());
    organizer = await registerAndLogin(t);
    stranger = await registerAndLogin(t);
    ids.circleId = await createCircle(t, organizer);
    ids.recipientId = (await createRecipient(t, ids.circleId, organizer, { alias: 'Fuzz N.', contact: 'fuzz@example.org' })).id;
    ids.cycleId = (await createCycle(t, ids.circleId, organizer)).id;
    await activateCycle(t, ids.circleId, organizer, ids.cycleId);
    const posted = await postAdjustment(t, organizer, ids.circleId, { direction: 'in', amount: 50_000 });
    ids.transferId = posted.body.id as string;
    ids.memberId = organizer.userId;
    ids.userId = organizer.userId;
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
  });

  it('answers thousands of hostile requests with 4xx problems and never a 5xx', async () => {
    const random = seededRandom(SEED);
    const faults: string[] = [];
    let sent = 0;
    for (const op of operations) {
      for (const caller of ['organizer', 'stranger', 'anonymous'] as const) {
        for (let i = 0; i < CASES_PER_CALLER; i++) {
          // The organizer may have been logged out or deleted by an earlier case: log in again.
          const token = caller === 'anonymous' ? undefined : (caller === 'organizer' ? organizer : stranger).accessToken;
          const c = makeCase(op, random, ids);
          const res = await send(t, c, token);
          sent++;
          const problem = fault(res);
          if (problem && faults.length < 25) faults.push(`${op.method.toUpperCase()} ${op.path} as ${caller}, ${c.label}: ${problem}`);
        }
        const me = await t.http().get('/v1/me').set('Authorization', bearer(organizer.accessToken));
        if (me.status === 401) {
          const login = await t.http().post('/v1/auth/login').send({ email: organizer.email, password: TEST_PASSWORD });
          if (login.status === 200) organizer = { ...organizer, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
        }
      }
    }
    expect(sent).toBeGreaterThanOrEqual(5000);
    expect(faults).toEqual([]);
  }, 600_000);
});
