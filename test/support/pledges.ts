import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { bearer } from './auth.js';
import { localDate } from '../../src/cycles/schedule.js';
import { TEST_CIRCLE_TIMEZONE, type TestUser } from './circles.js';
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

/**
 * Today's date, `YYYY-MM-DD`, where the circle is: the server judges dates such as
 * `receivedOn` and `startsOn` in the circle's time zone, and for some hours of each day
 * the date in UTC is already tomorrow in `TEST_CIRCLE_TIMEZONE`.
 */
export const today = (timezone: string = TEST_CIRCLE_TIMEZONE): string => localDate(new Date(), timezone);
