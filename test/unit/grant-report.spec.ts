import { describe, expect, it } from '@jest/globals';
import type { RequestFigures } from '../../src/requests/requests.service.js';
import { grantReport } from '../../src/transparency/reports/grant-report.js';

const DAY = 86_400_000;
const at = (day: number) => new Date(Date.UTC(2026, 2, 1) + day * DAY);

function request(over: Partial<RequestFigures>): RequestFigures {
  return { id: 'x', kind: 'grant', category: 'rent', source: 'intake', status: 'submitted', amountAsked: 1000n, amountGranted: null, declineReason: null, createdAt: at(0), decidedAt: null, sentAt: null, ...over };
}

describe('grantReport', () => {
  const paid = (asked: bigint, granted: bigint, decidedDay: number, sentDay: number) =>
    request({ status: 'paid', amountAsked: asked, amountGranted: granted, decidedAt: at(decidedDay), sentAt: at(sentDay) });
  const requests = [
    paid(1000n, 900n, 1, 2),
    paid(2000n, 2000n, 2, 4),
    paid(3000n, 1000n, 3, 6),
    request({ category: 'medical', status: 'declined', declineReason: 'duplicate', decidedAt: at(5), source: 'referral' }),
    request({ kind: 'roster', category: null, amountAsked: null, source: 'organizer' }),
    request({ status: 'withdrawn', decidedAt: at(1) }),
  ];

  it('counts, sums and takes medians exactly for organizers', () => {
    const r = grantReport(requests, true);
    expect(r).toMatchObject({
      requests: 6,
      byKind: { grant: 5, roster: 1 },
      grantsByCategory: { rent: 4, medical: 1, food: 0 },
      amountAsked: 8000n,
      amountGranted: 3900n,
      grantsApproved: 3,
      grantsPaid: 3,
      declineReasons: { duplicate: 1, other: 0 },
      bySource: { intake: 4, referral: 1, organizer: 1 },
    });
    // Decided: days 1, 2, 3 and the decline on day 5 (a withdrawal is no decision); paid: 2, 4, 6.
    expect(r.medianDaysToDecision).toBe(2.5);
    expect(r.medianDaysToPayment).toBe(4);
  });

  it('suppresses counts below 3, and amounts and medians built from fewer than 3, for everyone else', () => {
    const r = grantReport(requests, false);
    expect(r).toMatchObject({ requests: 6, byKind: { grant: 5, roster: '<3' }, grantsByCategory: { medical: '<3' }, declineReasons: { duplicate: '<3' }, grantsPaid: 3 });
    expect(r.amountGranted).toBe(3900n);
    const few = grantReport(requests.slice(0, 2), false);
    expect(few).toMatchObject({ requests: '<3', amountAsked: null, amountGranted: null, medianDaysToDecision: null, medianDaysToPayment: null });
  });
});
