// Generated from openapi.yaml, so a new route is covered the day it is added:
// - every operation under /v1/circles/{circleId} answers a user outside the circle exactly
//   as it answers a circle that does not exist (docs/design.md "Errors and access": 404, indistinguishable);
// - every operation that is not @Public() answers 401 without a valid token;
// - every circle operation declares its minimum role (x-min-role, from @MinRole), a member one
//   role below it gets 403, and a member with exactly that role is let through the access check
//   (src/circles/min-role.decorator.ts; docs/design.md "Errors and access").
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, registerAndLogin } from '../support/auth.js';
import { addMember, type TestUser } from '../support/circles.js';
import { contractOperations, fillPath, loadContract, sampleBody, sampleQuery, type ContractOperation } from '../support/openapi.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const contract = loadContract();
const operations = contractOperations(contract);
const circleOperations = operations.filter((op) => op.path.includes('{circleId}'));
const privateOperations = operations.filter((op) => op.authenticated);
/** The role one rank below each role a route can require (docs/design.md "Errors and access"). */
const ROLE_BELOW = { organizer: 'treasurer', treasurer: 'donor', donor: 'member' } as const;
type RankedRole = keyof typeof ROLE_BELOW;
const rankedOperations = circleOperations.filter((op) => (op['x-min-role'] ?? 'member') in ROLE_BELOW);
const label = (op: ContractOperation) => `${op.method.toUpperCase()} ${op.path} (${op.operationId})`;

/** Sends `op` as its contract describes it, with a minimal valid body and the usual headers. */
function send(t: TestApp, op: ContractOperation, circleId: string, token?: string): Promise<Response> {
  let req = t.http()[op.method](fillPath(contract, op, { circleId })).query(sampleQuery(contract, op) as Record<string, string>);
  if (token !== undefined) req = req.set('Authorization', bearer(token));
  if (op.method === 'post') req = req.set('Idempotency-Key', randomUUID());
  if (op.method === 'patch' || op.method === 'put' || op.method === 'delete') req = req.set('If-Match', '"1"');
  const body = sampleBody(contract, op);
  return body === undefined ? req : req.send(body as object);
}

const withoutRequestId = (body: Record<string, unknown>) => {
  const { requestId: _ignored, ...rest } = body;
  return rest;
};

describe('authorization (generated from openapi.yaml)', () => {
  let t: TestApp;
  let outsider: { accessToken: string };
  let foreignCircleId: string;
  /** A member of the foreign circle holding each role. */
  const holders = new Map<string, TestUser>();

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await registerAndLogin(t);
    outsider = await registerAndLogin(t);
    const created = await t
      .http()
      .post('/v1/circles')
      .set('Authorization', bearer(owner.accessToken))
      .set('Idempotency-Key', randomUUID())
      .send({ name: 'Eastside Mutual Aid', currency: 'USD', timezone: 'America/New_York' });
    if (created.status !== 201) throw new Error(`creating the circle failed: ${created.status} ${JSON.stringify(created.body)}`);
    foreignCircleId = created.body.id as string;
    holders.set('organizer', owner);
    for (const role of ['treasurer', 'donor', 'member']) holders.set(role, await addMember(t, foreignCircleId, owner, role));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('openapi.yaml lists exactly the routes the app serves', async () => {
    const live = await t.http().get('/docs/openapi.json').expect(200);
    const served = contractOperations(live.body).map((op) => `${op.method.toUpperCase()} ${op.path}`).sort();
    expect(operations.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort()).toEqual(served);
  });

  it('has circle-scoped operations to check', () => {
    expect(circleOperations.length).toBeGreaterThan(0);
  });

  // `it.each` refuses an empty table: with no circle routes the test above fails instead.
  const eachOf = (ops: ContractOperation[]) => ops.map((op) => [label(op), op] as const);

  (circleOperations.length ? describe : () => undefined)('a user outside the circle gets the same 404 as for a circle that does not exist', () => {
    it.each(eachOf(circleOperations))('%s', async (_name, op) => {
      const missing = await send(t, op, randomUUID(), outsider.accessToken);
      const foreign = await send(t, op, foreignCircleId, outsider.accessToken);
      const context = JSON.stringify({ missing: [missing.status, missing.body], foreign: [foreign.status, foreign.body] });
      expect([missing.status, foreign.status, context]).toEqual([404, 404, context]);
      expect(foreign.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(foreign.body).toMatchObject({ type: 'urn:arvut:problem:not-found', status: 404 });
      expect(withoutRequestId(foreign.body)).toEqual(withoutRequestId(missing.body));
    });
  });

  it('every circle operation declares its minimum role', () => {
    const undeclared = circleOperations.filter((op) => !['organizer', 'treasurer', 'donor', 'member', 'reader'].includes(op['x-min-role'] ?? '')).map(label);
    expect(undeclared).toEqual([]);
  });

  (rankedOperations.length ? describe : () => undefined)('a member one role below the route\'s minimum gets 403; one with that role gets past the check', () => {
    it.each(eachOf(rankedOperations))('%s', async (_name, op) => {
      const role = op['x-min-role'] as RankedRole;
      const below = await send(t, op, foreignCircleId, holders.get(ROLE_BELOW[role])!.accessToken);
      expect([ROLE_BELOW[role], below.status, below.body?.type]).toEqual([ROLE_BELOW[role], 403, 'urn:arvut:problem:forbidden']);
      expect(below.body.detail).toContain(`needs the ${role} role`);
      const holder = await send(t, op, foreignCircleId, holders.get(role)!.accessToken);
      // Whatever else the sample request runs into (a missing sub-resource, its state), the access check let it through.
      expect([role, holder.status, holder.body?.type]).not.toEqual([role, 403, 'urn:arvut:problem:forbidden']);
      expect(holder.body?.detail).not.toBe('No such circle, or you do not have access to it.');
    });
  });

  (privateOperations.length ? describe : () => undefined)('an operation that needs a token answers 401 without one', () => {
    it.each(eachOf(privateOperations))('%s', async (_name, op) => {
      for (const token of [undefined, 'not-a-jwt', `${outsider.accessToken.slice(0, -4)}AAAA`]) {
        const res = await send(t, op, foreignCircleId, token);
        expect([token ?? 'no token', res.status]).toEqual([token ?? 'no token', 401]);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ type: 'urn:arvut:problem:unauthenticated', status: 401 });
      }
    });
  });
});
