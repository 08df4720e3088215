import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { bearer } from './auth.js';
import type { TestUser } from './circles.js';
import type { FakeStripe, StripeEvent } from './fake-stripe.js';
import type { TestApp } from './test-app.js';

export type PledgeBody = { amount: number; method: 'card' | 'manual'; cycleId?: string };
export type ContributionBody = { amount: number; method: string; receivedOn: string; pledgeId?: string };

/** POST …/pledges with a fresh Idempotency-Key unless one is given. */
export function postPledge(t: TestApp, user: TestUser, circleId: string, body: PledgeBody, key: string = randomUUID()): Test {
  return t.http().post(`/v1/circles/${circleId}/pledges`).set('Authorization', bearer(user.accessToken)).set('Idempotency-Key', key).send(body);
}

/** POST …/contributions with a fresh Idempotency-Key unless one is given. */
export function postContribution(t: TestApp, user: TestUser, circleId: string, body: ContributionBody, key: string = randomUUID()): Test {
  return t.http().post(`/v1/circles/${circleId}/contributions`).set('Authorization', bearer(user.accessToken)).set('Idempotency-Key', key).send(body);
}

export function pledgeAction(t: TestApp, user: TestUser, circleId: string, pledgeId: string, action: 'pause' | 'resume' | 'cancel'): Test {
  return t.http().post(`/v1/circles/${circleId}/pledges/${pledgeId}/${action}`).set('Authorization', bearer(user.accessToken));
}

/** Delivers a webhook event the way Stripe does: raw JSON body, signed. */
export function deliver(t: TestApp, stripe: FakeStripe, event: StripeEvent): Test {
  const { body, signature } = stripe.signed(event);
  return t.http().post('/v1/payments/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(body);
}

/** Today's date in UTC, `YYYY-MM-DD` (test circles use UTC). */
export const today = (): string => new Date().toISOString().slice(0, 10);
