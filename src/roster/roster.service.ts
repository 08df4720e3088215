import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import type { CreateRecipientDto } from './dto/create-recipient.dto.js';
import type { RecipientResponse } from './dto/recipient.response.js';
import { RecipientQueries, type SlotCandidate } from './recipient-queries.js';
import { RecipientStatusChange } from './recipient-status-change.entity.js';
import { EXIT_REASONS, type ExitReason, type RecipientAction, type RecipientStatus } from './recipient-status.js';
import { invalidState, RecipientTransitions } from './recipient-transitions.js';
import { Recipient } from './recipient.entity.js';
import { actorColumns, JOB_ACTOR, LINK_ACTOR, userActor } from '../common/actor.js';

const DAY_MS = 86_400_000;

/** The roster: recipients, their states, the waitlist and slot hand-over. */
@Injectable()
export class RosterService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly privacy: PrivacyService,
    private readonly queries: RecipientQueries,
    private readonly transitions: RecipientTransitions,
    private readonly events: EventsService,
  ) {}

  async create(userId: string, circleId: string, dto: CreateRecipientDto): Promise<RecipientResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const id = randomUUID();
      const at = new Date();
      await manager.insert(Recipient, { id, circleId, alias: dto.alias, status: 'waitlisted', waitlistedAt: at, statusChangedAt: at });
      await manager.insert(RecipientStatusChange, { id: randomUUID(), recipientId: id, circleId, fromStatus: null, toStatus: 'waitlisted', ...actorColumns(userActor(userId)), at, reason: 'added' });
      // Vault fields go to the vault only, in the same transaction (invariant 9).
      await this.privacy.put(userId, circleId, id, { contact: dto.contact ?? null, payoutHandle: dto.payoutHandle ?? null, note: dto.note ?? null });
      await this.events.emit('recipient.waitlisted', circleId, { recipientId: id, from: null, to: 'waitlisted', at: at.toISOString() }, at);
      return this.queries.toResponse(await this.queries.findOrFail(circleId, id));
    });
  }

  /**
   * For the requests module, inside the approval of a roster request (it has checked the
   * organizer's access): the person joins the waitlist under `recipientId`, the id their
   * request's vault fields are sealed under, so those fields become the recipient's without
   * being copied.
   */
  async admit(circleId: string, recipientId: string, alias: string, byUserId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      const at = new Date();
      await manager.insert(Recipient, { id: recipientId, circleId, alias, status: 'waitlisted', waitlistedAt: at, statusChangedAt: at });
      await manager.insert(RecipientStatusChange, { id: randomUUID(), recipientId, circleId, fromStatus: null, toStatus: 'waitlisted', ...actorColumns(userActor(byUserId)), at, reason: 'added' });
    });
  }

  /**
   * The recipient takes themself off the roster through their private status link (no
   * account: the history records no user). Frees their slot for the next person, like an
   * organizer's exit does.
   */
  async exitBySelf(circleId: string, recipientId: string, reason: ExitReason): Promise<RecipientStatus> {
    return this.tx.run(async () => {
      const at = new Date();
      const { recipient, from } = await this.transitions.apply({ circleId, recipientId, action: 'exit', actor: LINK_ACTOR, at, exitReason: reason });
      if (from === 'active') await this.transitions.offerFreedSlot(circleId, LINK_ACTOR, at);
      return recipient.status;
    });
  }

  /** For the recipient's own status link: their state only, nothing the organizers wrote. */
  async statusOf(circleId: string, recipientId: string): Promise<{ status: RecipientStatus; exitReason: ExitReason | null }> {
    const recipient = await this.queries.findOrFail(circleId, recipientId);
    return { status: recipient.status, exitReason: recipient.exitReason };
  }

  async list(userId: string, circleId: string, status: RecipientStatus | undefined, limit: number, cursor?: string): Promise<Page<RecipientResponse>> {
    await this.access.require(circleId, userId);
    return this.queries.page(circleId, status, limit, cursor);
  }

  async get(userId: string, circleId: string, recipientId: string): Promise<RecipientResponse> {
    await this.access.require(circleId, userId);
    return this.queries.toResponse(await this.queries.findOrFail(circleId, recipientId));
  }

  async offer(userId: string, circleId: string, recipientId: string, untilDays: number): Promise<RecipientResponse> {
    const at = new Date();
    return this.move(userId, circleId, recipientId, 'offer', { at, offeredUntil: new Date(at.getTime() + untilDays * DAY_MS) });
  }

  accept(userId: string, circleId: string, recipientId: string): Promise<RecipientResponse> {
    return this.move(userId, circleId, recipientId, 'accept');
  }

  decline(userId: string, circleId: string, recipientId: string): Promise<RecipientResponse> {
    return this.move(userId, circleId, recipientId, 'decline', { reason: 'offer_declined' });
  }

  pause(userId: string, circleId: string, recipientId: string): Promise<RecipientResponse> {
    return this.move(userId, circleId, recipientId, 'pause');
  }

  resume(userId: string, circleId: string, recipientId: string): Promise<RecipientResponse> {
    return this.move(userId, circleId, recipientId, 'resume');
  }

  /**
   * Ends a recipient's time on the roster. An active recipient's exit frees a slot, which is
   * offered to the first waitlisted person in the same transaction (a paused one already
   * gave up theirs when pausing).
   */
  async exit(userId: string, circleId: string, recipientId: string, reason: ExitReason): Promise<RecipientResponse> {
    return this.tx.run(async () => {
      await this.access.require(circleId, userId);
      const at = new Date();
      const { recipient, from } = await this.transitions.apply({ circleId, recipientId, action: 'exit', actor: userActor(userId), at, exitReason: reason });
      if (from === 'active') await this.transitions.offerFreedSlot(circleId, userActor(userId), at);
      return this.queries.toResponse(recipient);
    });
  }

  async rename(userId: string, circleId: string, recipientId: string, alias: string): Promise<RecipientResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const recipient = await this.queries.findOrFail(circleId, recipientId);
      // An erased person stays erased: a new alias could name them again.
      if (recipient.erasedAt) throw new DomainError('invalid-state', 'This recipient\'s private data was erased; the neutral alias cannot be changed.');
      await manager.update(Recipient, { id: recipientId, circleId }, { alias });
      return this.queries.toResponse(await this.queries.findOrFail(circleId, recipientId));
    });
  }

  /** Moves a waitlisted recipient to a 1-based place by permuting the waitlist's queue keys. */
  async moveOnWaitlist(userId: string, circleId: string, recipientId: string, position: number): Promise<RecipientResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      // One reorder of a circle's waitlist at a time; taken before reading the order it rewrites.
      await manager.query('SELECT pg_advisory_xact_lock(7253471, hashtext($1))', [circleId]);
      const recipient = await this.queries.findOrFail(circleId, recipientId);
      if (recipient.status !== 'waitlisted') throw invalidState(recipient.status, 'only a waitlisted recipient has a place on the waitlist.');
      const waitlist = await this.queries.waitlist(circleId, true);
      if (!waitlist.some((w) => w.id === recipientId)) throw invalidState((await this.queries.findOrFail(circleId, recipientId)).status, 'only a waitlisted recipient has a place on the waitlist.');
      if (position > waitlist.length) {
        throw new DomainError('validation-failed', `position must be between 1 and ${waitlist.length}`, { errors: [{ field: 'position', message: `position must be between 1 and ${waitlist.length}` }] });
      }
      const keys = waitlist.map((w) => w.queueKey);
      const order = waitlist.map((w) => w.id).filter((id) => id !== recipientId);
      order.splice(position - 1, 0, recipientId);
      await manager.query(
        `UPDATE recipients r SET queue_key = v.key
           FROM unnest($1::uuid[], $2::bigint[]) AS v(id, key)
          WHERE r.id = v.id AND r.circle_id = $3 AND r.queue_key <> v.key`,
        [order, keys, circleId],
      );
      return this.queries.toResponse(await this.queries.findOrFail(circleId, recipientId));
    });
  }

  /**
   * Returns offers that lapsed before `now` to the waitlist, each in its own transaction so
   * one failure does not hold back the rest. Scheduled by the jobs module; returns the count.
   */
  async expireOffers(now: Date): Promise<number> {
    const due = await this.tx.manager
      .createQueryBuilder(Recipient, 'r')
      .select(['r.id', 'r.circleId'])
      .where('r.status = :status AND r.offered_until <= :now', { status: 'offered', now })
      .orderBy('r.offered_until', 'ASC')
      .getMany();
    let expired = 0;
    const failures: unknown[] = [];
    for (const r of due) {
      try {
        await this.transitions.apply({ circleId: r.circleId, recipientId: r.id, action: 'expire', actor: JOB_ACTOR, at: now, reason: 'offer_expired' });
        expired++;
      } catch (error) {
        // Accepted or changed meanwhile: nothing left to expire.
        if (!(error instanceof DomainError && error.code === 'invalid-state')) failures.push(error);
      }
    }
    if (failures.length) throw new AggregateError(failures, `${failures.length} of ${due.length} lapsed offers could not be returned to the waitlist`);
    return expired;
  }

  /** For reports (callers check access first): exits recorded in [from, to), counted by reason. */
  async exitCounts(circleId: string, from: Date, to: Date): Promise<Record<ExitReason, number>> {
    const rows: { reason: ExitReason; n: number }[] = await this.tx.manager.query(
      `SELECT reason, count(*)::int AS n FROM recipient_status_history
        WHERE circle_id = $1 AND to_status = 'exited' AND at >= $2 AND at < $3
        GROUP BY reason`,
      [circleId, from, to],
    );
    const counts = Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<ExitReason, number>;
    for (const row of rows) counts[row.reason] = row.n;
    return counts;
  }

  /**
   * For reports: how long each of `recipientIds` waited between being added and first
   * becoming active, in milliseconds, in no particular order (those never active are left out).
   */
  async waitsBeforeFirstSlot(circleId: string, recipientIds: string[]): Promise<number[]> {
    if (recipientIds.length === 0) return [];
    const rows: { ms: string }[] = await this.tx.manager.query(
      `SELECT round(extract(epoch FROM (activated_at - created_at)) * 1000)::bigint::text AS ms FROM recipients
        WHERE circle_id = $1 AND id = ANY($2::uuid[]) AND activated_at IS NOT NULL`,
      [circleId, recipientIds],
    );
    return rows.map((r) => Math.max(0, Number(r.ms)));
  }

  /** For cycles: who can fill slots, in the order they should get them. */
  listForSlots(circleId: string): Promise<SlotCandidate[]> {
    return this.queries.forSlots(circleId);
  }

  /**
   * For payouts: the alias of each recipient (of this circle) among `recipientIds`, batched for
   * a page of payouts. Aliases only, never a vault field (invariant 9). The caller has already
   * checked that the user may see the roster (treasurer or organizer).
   */
  aliasesOf(circleId: string, recipientIds: readonly string[]): Promise<Map<string, string>> {
    return this.queries.aliases(circleId, recipientIds);
  }

  /** For cycle activation: an offered or waitlisted recipient takes a slot directly. */
  async activate(circleId: string, recipientId: string, actorUserId: string): Promise<void> {
    await this.tx.run(async () => {
      await this.access.require(circleId, actorUserId, 'organizer');
      await this.transitions.apply({ circleId, recipientId, action: 'activate', actor: userActor(actorUserId), at: new Date(), reason: 'cycle_activation' });
    });
  }

  private async move(
    userId: string,
    circleId: string,
    recipientId: string,
    action: RecipientAction,
    extra: { at?: Date; offeredUntil?: Date; reason?: 'offer_declined' } = {},
  ): Promise<RecipientResponse> {
    return this.tx.run(async () => {
      await this.access.require(circleId, userId);
      const { recipient } = await this.transitions.apply({ circleId, recipientId, action, actor: userActor(userId), at: extra.at ?? new Date(), offeredUntil: extra.offeredUntil, reason: extra.reason });
      return this.queries.toResponse(recipient);
    });
  }
}
