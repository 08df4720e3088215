import { describe, expect, it } from '@jest/globals';
import type { TransactionHost } from '../../src/database/transaction-host.js';
import { EVENT_TYPES, isEventType } from '../../src/events/event-map.js';
import { EventsService } from '../../src/events/events.service.js';

describe('EventsService', () => {
  it('refuses to emit outside a transaction, so an event never outlives a rolled-back change', async () => {
    const queries: unknown[] = [];
    const tx = { inTransaction: false, manager: { query: async (...args: unknown[]) => void queries.push(args) } } as unknown as TransactionHost;
    const events = new EventsService(tx);
    await expect(events.emit('member.left', 'c', { userId: 'u', role: 'member' })).rejects.toThrow(/inside the transaction/);
    expect(queries).toHaveLength(0);
  });

  it('runs the handlers of the emitted type only, after appending, in registration order', async () => {
    const calls: string[] = [];
    const tx = { inTransaction: true, manager: { query: async () => (calls.push('append'), [{ sequence: '7' }]) } } as unknown as TransactionHost;
    const events = new EventsService(tx);
    events.on('recipient.exited', async (e) => void calls.push(`first ${e.sequence}`));
    events.on(['recipient.exited', 'recipient.paused'], async () => void calls.push('second'));
    events.on('recipient.active', async () => void calls.push('never'));
    await events.emit('recipient.exited', 'c', { recipientId: 'r', from: 'active', to: 'exited', at: '2026-01-01T00:00:00.000Z', exitReason: 'moved' });
    expect(calls).toEqual(['append', 'first 7', 'second']);
  });

  it('refuses a handler for receipt.published, which the database appends with the posting', () => {
    const events = new EventsService({ inTransaction: true } as unknown as TransactionHost);
    expect(() => events.on(['recipient.exited', 'receipt.published'], async () => undefined)).toThrow(/appended by the database/);
  });

  it('lists every event type once, in dotted lower-case names', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    for (const type of EVENT_TYPES) expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(isEventType('payout.sent')).toBe(true);
    expect(isEventType('payout.lost')).toBe(false);
  });
});
