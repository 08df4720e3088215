// Generated from openapi.yaml, so a new route is covered the day it is added:
// - every operation under /v1/circles/{circleId} answers a user outside the circle exactly
//   as it answers a circle that does not exist (docs/design.md "Errors and access": 404, indistinguishable);
// - every operation that is not @Public() answers 401 without a valid token.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { bearer, registerAndLogin } from '../support/auth.js';
import { contractOperations, fillPath, loadContract, sampleBody, sampleQuery, type ContractOperation } from '../support/openapi.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const contract = loadContract();
const operations = contractOperations(contract);
const circleOperations = operations.filter((op) => op.path.includes('{circleId}'));
const privateOperations = operations.filter((op) => op.authenticated);
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
