import { expect } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer } from './auth.js';

/** The Authorization header of a signed-in test user. */
export const authHeader = (user: { accessToken: string }): { Authorization: string } => ({ Authorization: bearer(user.accessToken) });

/** What every error response must look like: RFC 9457, of the problem `code`, nothing internal leaking. */
export function expectProblem(res: Response, status: number, code: string): void {
  expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
  expect(res.body).toMatchObject({ type: `urn:arvut:problem:${code}`, status, title: expect.any(String), detail: expect.any(String) });
  expect(res.body.title.length).toBeGreaterThan(0);
  expect(res.body.detail.length).toBeGreaterThan(0);
  expect(res.body).not.toHaveProperty('stack');
  // No stack frames, driver errors or SQL in what the client sees.
  expect(res.text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+|QueryFailedError|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|duplicate key|violates|relation "/);
}
