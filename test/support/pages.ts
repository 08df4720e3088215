// A circle with what every page shows: public receipts, an active cycle, recipients with
// sent payouts, their acknowledgement and status links, and a signed checkpoint.
import { registerAndLogin } from './auth.js';
import { addMember, createCircle, type TestUser } from './circles.js';
import { postAdjustment } from './ledger.js';
import { activateCycle, addRecipients, createCycle, generateWeek, issueAcknowledgementLink, payoutAction, sendPayout } from './payouts.js';
import { today } from './pledges.js';
import { authHeader } from './problems.js';
import type { TestApp } from './test-app.js';

export interface PagesCircle {
  circleId: string;
  organizer: TestUser;
  recipientIds: string[];
  payoutIds: string[];
  /** One-time acknowledgement tokens, one per payout. */
  ackTokens: string[];
  /** Status-link tokens, one per recipient. */
  linkTokens: string[];
}

export async function makePublic(t: TestApp, circleId: string, organizer: TestUser): Promise<void> {
  const circle = await t.http().get(`/v1/circles/${circleId}`).set(authHeader(organizer)).expect(200);
  await t.http().patch(`/v1/circles/${circleId}`).set(authHeader(organizer)).set('If-Match', circle.headers.etag).send({ receiptVisibility: 'public' }).expect(200);
}

/** `people` recipients paid week 1 of a running cycle, each with both kinds of link. */
export async function pagesCircle(t: TestApp, people: number, options: { name?: string; currency?: string } = {}): Promise<PagesCircle> {
  const organizer = await registerAndLogin(t);
  const circleId = await createCircle(t, organizer, { name: options.name ?? 'Elm Street Neighbours', currency: options.currency ?? 'USD' });
  const treasurer = await addMember(t, circleId, organizer, 'treasurer');
  await makePublic(t, circleId, organizer);
  await postAdjustment(t, organizer, circleId, { direction: 'in', amount: 1_000_000 }).expect(201);
  const recipientIds = await addRecipients(t, circleId, organizer, people, 'Page');
  const cycle = await createCycle(t, circleId, organizer, { slots: people, weeks: 4, startsOn: today() });
  await activateCycle(t, circleId, organizer, cycle.id);
  const week = await generateWeek(t, circleId, organizer, cycle.id, 1).expect(201);
  const payouts: { id: string; recipientId: string }[] = week.body.payouts;
  const payoutIds = recipientIds.map((rid) => payouts.find((p) => p.recipientId === rid)!.id);
  const ackTokens: string[] = [];
  for (const payoutId of payoutIds) {
    await payoutAction(t, circleId, organizer, payoutId, 'approve').expect(200);
    await sendPayout(t, circleId, treasurer, payoutId).expect(200);
    ackTokens.push((await issueAcknowledgementLink(t, circleId, treasurer, payoutId).expect(201)).body.token);
  }
  const linkTokens: string[] = [];
  for (const recipientId of recipientIds) {
    linkTokens.push((await t.http().post(`/v1/circles/${circleId}/recipients/${recipientId}/status-link`).set(authHeader(organizer)).expect(201)).body.token);
  }
  await t.http().post(`/v1/circles/${circleId}/receipts/checkpoints`).set(authHeader(organizer)).expect(201);
  return { circleId, organizer, recipientIds, payoutIds, ackTokens, linkTokens };
}
