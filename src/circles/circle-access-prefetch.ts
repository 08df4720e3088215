import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CircleRole } from './circle-role.js';

/**
 * What the access check needs to know about a caller in a circle: whether the circle exists,
 * the caller's role in it (null for a non-member) and the circle facts services use.
 */
export interface CircleAccessRow {
  found: boolean;
  role: CircleRole | null;
  currency: string;
  currency_exponent: number;
  timezone: string;
  receipt_visibility: string;
}

/**
 * The columns of a CircleAccessRow for circle $3 and the user of session $1: shared by the
 * access check and by the session check that fetches it ahead (see below), so both read the same.
 */
export const CIRCLE_ACCESS_COLUMNS = `c.id IS NOT NULL AS found, m.role, c.currency, c.currency_exponent, c.timezone, c.receipt_visibility`;

interface Prefetched {
  circleId: string;
  userId: string;
  row: CircleAccessRow;
}

const storage = new AsyncLocalStorage<{ prefetched?: Prefetched }>();

/**
 * Opens a per-request slot. The session check of a request to /v1/circles/{circleId}/…
 * reads the caller's membership in the same query (one round trip instead of two, the
 * largest saving per request in bench:ledger and bench:feed) and leaves it here for the
 * request's first access check. Registered after the body parser, whose stream events
 * would otherwise run outside the slot.
 */
export function circleAccessSlot(_req: Request, _res: Response, next: NextFunction): void {
  storage.run({}, next);
}

export function leaveCircleAccess(circleId: string, userId: string, row: CircleAccessRow): void {
  const slot = storage.getStore();
  if (slot) slot.prefetched = { circleId, userId, row };
}

/**
 * The row left by this request's session check for this circle and user, once: a second
 * check in the same request (after a change of membership, say) reads the database again.
 */
export function takeCircleAccess(circleId: string, userId: string): CircleAccessRow | undefined {
  const slot = storage.getStore();
  const found = slot?.prefetched;
  if (!slot || !found || found.circleId !== circleId || found.userId !== userId) return undefined;
  slot.prefetched = undefined;
  return found.row;
}
