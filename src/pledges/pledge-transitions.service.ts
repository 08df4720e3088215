import { Injectable } from '@nestjs/common';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PLEDGE_EVENT, type PledgeChange } from '../events/event-map.js';
import { EventsService } from '../events/events.service.js';
import { actorColumns, type Actor } from '../common/actor.js';
import { PledgeHistory } from './pledge-history.entity.js';
import { canMovePledge, isFinalPledgeStatus, PLEDGE_TRANSITIONS, type PledgeStatus } from './pledge-status.js';
import { Pledge } from './pledge.entity.js';
import { invalidState } from '../common/state-machine.js';

type PledgeRef = Pick<Pledge, 'id' | 'circleId' | 'status' | 'amount' | 'currency'>;

const change = (pledge: PledgeRef, from: PledgeStatus | null, to: PledgeStatus, at: Date): PledgeChange => ({
  pledgeId: pledge.id,
  from,
  to,
  amount: Number(pledge.amount),
  currency: pledge.currency,
  at: at.toISOString(),
});

/**
 * The only writer of a pledge's status. Every move is one guarded UPDATE (… WHERE status =
 * the state read) plus its history row, in the caller's transaction (docs/design.md "State machines").
 */
@Injectable()
export class PledgeTransitions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly circles: CircleFactsService,
    private readonly events: EventsService,
  ) {}

  async recordCreated(pledge: PledgeRef, actor: Actor, at: Date = new Date()): Promise<void> {
    await this.tx.manager.insert(PledgeHistory, { circleId: pledge.circleId, pledgeId: pledge.id, fromStatus: null, toStatus: pledge.status, ...actorColumns(actor), at });
    await this.events.emit('pledge.created', pledge.circleId, change(pledge, null, pledge.status, at), at);
  }

  /**
   * Moves `pledge` from the status it was read in to `to`. Returns the updated pledge, or
   * null when a concurrent change moved it first (the caller re-reads and decides).
   */
  async move(pledge: PledgeRef, to: PledgeStatus, actor: Actor, at: Date = new Date()): Promise<Pledge | null> {
    if (!canMovePledge(pledge.status, to)) {
      throw invalidState('pledge', pledge.status, `it cannot become ${to}.`);
    }
    // paused_on/anchor_on follow pauses in the circle's calendar, so weeks spent paused are never
    // counted as missed. Only a pause or the end of one needs the calendar: other moves skip the read.
    const timezone = to === 'paused' || pledge.status === 'paused' ? await this.circles.timezoneOf(pledge.circleId) : null;
    const [rows]: [{ id: string }[], number] = await this.tx.manager.query(
      `UPDATE pledges p
          SET status = $3::varchar, version = p.version + 1, status_changed_at = $4,
              paused_on = CASE WHEN $3::varchar = 'paused' THEN ($4::timestamptz AT TIME ZONE $5::text)::date END,
              anchor_on = CASE WHEN p.status = 'paused'
                               THEN p.anchor_on + GREATEST(0, ($4::timestamptz AT TIME ZONE $5::text)::date - p.paused_on)
                               ELSE p.anchor_on END
        WHERE p.id = $1 AND p.status = $2
        RETURNING p.id`,
      [pledge.id, pledge.status, to, at.toISOString(), timezone],
    );
    if (rows.length !== 1) return null;
    await this.tx.manager.insert(PledgeHistory, { circleId: pledge.circleId, pledgeId: pledge.id, fromStatus: pledge.status, toStatus: to, ...actorColumns(actor), at });
    if (to !== 'pending') await this.events.emit(PLEDGE_EVENT[to], pledge.circleId, change(pledge, pledge.status, to, at), at);
    return this.tx.manager.findOneByOrFail(Pledge, { id: pledge.id });
  }

  /**
   * Walks the state machine to `target` by its shortest legal path (e.g. pending → active →
   * past_due when a payment failed before the checkout event arrived). Final states stay.
   */
  async moveToward(pledge: Pledge, target: PledgeStatus, actor: Actor, at: Date = new Date()): Promise<Pledge> {
    let current = pledge;
    for (const step of pathTo(pledge.status, target)) {
      const moved = await this.move(current, step, actor, at);
      if (!moved) return this.tx.manager.findOneByOrFail(Pledge, { id: pledge.id });
      current = moved;
    }
    return current;
  }
}

/** Shortest legal sequence of statuses from `from` to `to`, passing only through non-final ones. */
export function pathTo(from: PledgeStatus, to: PledgeStatus): PledgeStatus[] {
  if (from === to || isFinalPledgeStatus(from)) return [];
  const previous = new Map<PledgeStatus, PledgeStatus>([[from, from]]);
  const queue: PledgeStatus[] = [from];
  while (queue.length) {
    const at = queue.shift()!;
    for (const next of PLEDGE_TRANSITIONS[at]) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      if (next === to) {
        const path: PledgeStatus[] = [next];
        for (let s = at; s !== from; s = previous.get(s)!) path.unshift(s);
        return path;
      }
      if (!isFinalPledgeStatus(next)) queue.push(next);
    }
  }
  return [];
}
