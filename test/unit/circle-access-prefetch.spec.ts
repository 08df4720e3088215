import { describe, expect, it } from '@jest/globals';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { openCircleAccessSlot, leaveCircleAccess, takeCircleAccess, type CircleAccessRow } from '../../src/circles/circle-access-prefetch.js';

const row: CircleAccessRow = { found: true, role: 'member', currency: 'USD', currency_exponent: 2, timezone: 'UTC', receipt_visibility: 'members' };

/** Runs `body` inside a request's slot, as the hook does for every request to `url`. */
function inRequest<T>(body: () => T, url = '/v1/circles/circle-1/receipts'): T {
  let result!: T;
  openCircleAccessSlot({ url } as FastifyRequest, {} as FastifyReply, () => {
    result = body();
  });
  return result;
}

describe('circle access fetched with the session check', () => {
  it('is used once, by the first check of the same circle and user', () => {
    inRequest(() => {
      leaveCircleAccess('circle-1', 'user-1', row);
      expect(takeCircleAccess('circle-1', 'user-1')).toEqual(row);
      // A later check in the same request (after a change of membership, say) asks the database.
      expect(takeCircleAccess('circle-1', 'user-1')).toBeUndefined();
    });
  });

  it('is not used for another circle or another user', () => {
    inRequest(() => {
      leaveCircleAccess('circle-1', 'user-1', row);
      expect(takeCircleAccess('circle-2', 'user-1')).toBeUndefined();
      expect(takeCircleAccess('circle-1', 'user-2')).toBeUndefined();
    });
  });

  it('does not leak from one request into another, nor outside a request', () => {
    inRequest(() => leaveCircleAccess('circle-1', 'user-1', row));
    expect(inRequest(() => takeCircleAccess('circle-1', 'user-1'))).toBeUndefined();
    leaveCircleAccess('circle-1', 'user-1', row);
    expect(takeCircleAccess('circle-1', 'user-1')).toBeUndefined();
  });

  it('is not kept for requests outside /v1/circles/, which never check circle access', () => {
    expect(inRequest(() => (leaveCircleAccess('circle-1', 'user-1', row), takeCircleAccess('circle-1', 'user-1')), '/v1/me')).toBeUndefined();
    expect(inRequest(() => (leaveCircleAccess('circle-1', 'user-1', row), takeCircleAccess('circle-1', 'user-1')))).toEqual(row);
  });
});
