import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UsersService } from '../auth/users.service.js';
import { CircleAccess } from '../circles/circle-access.service.js';
import type { CircleContext } from '../circles/circle-context.js';
import { roleAtLeast } from '../circles/circle-role.js';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { CyclesService } from '../cycles/cycles.service.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PaymentsService } from '../payments/payments.service.js';
import type { CreatePledgeDto } from './dto/create-pledge.dto.js';
import { toPledgeResponse, type CreatedPledgeResponse, type PledgePageResponse, type PledgeResponse } from './dto/pledge.response.js';
import { localDate } from './local-date.js';
import { userActor } from '../common/actor.js';
import type { PledgeStatus } from './pledge-status.js';
import { PledgeTransitions } from './pledge-transitions.service.js';
import { Pledge } from './pledge.entity.js';
import { expectMove, lostRace, type Moves } from '../common/state-machine.js';

type PledgeAction = 'pause' | 'resume' | 'cancel';

const MAX_CARD_AMOUNT = 99_999_999;

/**
 * What a donor (or an organizer) may do to a pledge: a subset of the machine's moves
 * (src/pledges/pledge-status.ts). A past-due pledge is not "resumed" by asking: only a payment
 * brings it back.
 */
const DONOR_MOVES: Moves<PledgeAction, PledgeStatus> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  cancel: { from: ['pending', 'active', 'paused', 'past_due'], to: 'cancelled' },
};

/**
 * Pledges as donors and organizers see them. Pledging needs no role beyond member: the
 * pledge makes the caller its donor, and that — not a role change, which is the
 * organizers' call in the circles module — is what lets them see and steer it.
 */
@Injectable()
export class PledgesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly users: UsersService,
    private readonly cycles: CyclesService,
    private readonly payments: PaymentsService,
    private readonly transitions: PledgeTransitions,
  ) {}

  async create(userId: string, circleId: string, dto: CreatePledgeDto): Promise<CreatedPledgeResponse> {
    const ctx = await this.access.require(circleId, userId);
    if (dto.method === 'card') {
      this.payments.requireConfigured();
      // Stripe prices hold at most 8 digits of minor units; say so here rather than as a provider failure.
      if (dto.amount > MAX_CARD_AMOUNT) throw new DomainError('validation-failed', `A card pledge can be at most ${MAX_CARD_AMOUNT} minor units a week.`, { errors: [{ field: 'amount', message: `amount must not exceed ${MAX_CARD_AMOUNT} for card pledges` }] });
    }
    if (dto.cycleId) {
      const cycle = await this.cycles.get(userId, circleId, dto.cycleId);
      if (cycle.status === 'closed') throw new DomainError('invalid-state', 'That cycle is closed: pledge to a running or upcoming cycle, or without one.', { state: cycle.status });
    }
    const now = new Date();
    const pledge = this.tx.manager.create(Pledge, {
      id: randomUUID(),
      circleId,
      donorUserId: userId,
      cycleId: dto.cycleId ?? null,
      amount: String(dto.amount),
      currency: ctx.currency,
      method: dto.method,
      // A manual pledge has nothing to wait for; a card pledge waits for its checkout.
      status: dto.method === 'card' ? 'pending' : 'active',
      version: 1,
      anchorOn: localDate(now, ctx.timezone),
      pausedOn: null,
      providerCheckoutRef: null,
      providerSubscriptionRef: null,
      statusChangedAt: now,
    });
    let checkoutUrl: string | null = null;
    if (dto.method === 'card') {
      const email = (await this.users.findById(userId))?.email;
      if (!email) throw DomainError.notFound('user');
      const checkout = await this.payments.startWeeklyCheckout({
        circleId,
        userId,
        email,
        pledgeId: pledge.id,
        amount: BigInt(dto.amount),
        currency: ctx.currency,
        successUrl: dto.successUrl,
        cancelUrl: dto.cancelUrl,
      });
      pledge.providerCheckoutRef = checkout.ref;
      checkoutUrl = checkout.url;
    }
    return this.tx.run(async (manager) => {
      await manager.insert(Pledge, pledge);
      await this.transitions.recordCreated(pledge, userActor(userId), now);
      const saved = await manager.findOneByOrFail(Pledge, { id: pledge.id });
      return { ...toPledgeResponse(saved), checkoutUrl };
    });
  }

  /** Donors see their own pledges; treasurers and organizers see all, with the donor's email. */
  async list(userId: string, circleId: string, limit: number, cursor?: string): Promise<PledgePageResponse> {
    const ctx = await this.access.require(circleId, userId);
    const seesAll = roleAtLeast(ctx.role, 'treasurer');
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(Pledge, 'p')
      .where('p.circle_id = :circleId', { circleId })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (!seesAll) qb.andWhere('p.donor_user_id = :userId', { userId });
    if (after) qb.andWhere('(p.created_at, p.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const rows = await qb.getMany();
    // Emails are personal data: only those who manage the circle's money see them.
    const emails = seesAll ? await this.users.findEmails(rows.slice(0, limit).map((p) => p.donorUserId)) : new Map<string, string>();
    const page: Page<PledgeResponse> = toPage(rows, limit, (p) => [p.createdAt.toISOString(), p.id], (p) => toPledgeResponse(p, emails.get(p.donorUserId)));
    return page;
  }

  /** One pledge: its donor's, or any for treasurers and organizers; anyone else gets the 404 of a missing one. */
  async get(userId: string, circleId: string, pledgeId: string): Promise<PledgeResponse> {
    const ctx = await this.access.require(circleId, userId);
    const pledge = await this.tx.manager.findOneBy(Pledge, { id: pledgeId, circleId });
    const seesAll = roleAtLeast(ctx.role, 'treasurer');
    if (!pledge || (!seesAll && pledge.donorUserId !== userId)) throw DomainError.notFound('pledge');
    const email = seesAll ? (await this.users.findEmails([pledge.donorUserId])).get(pledge.donorUserId) : undefined;
    return toPledgeResponse(pledge, email);
  }

  pause(userId: string, circleId: string, pledgeId: string): Promise<PledgeResponse> {
    return this.act(userId, circleId, pledgeId, 'pause');
  }

  resume(userId: string, circleId: string, pledgeId: string): Promise<PledgeResponse> {
    return this.act(userId, circleId, pledgeId, 'resume');
  }

  cancel(userId: string, circleId: string, pledgeId: string): Promise<PledgeResponse> {
    return this.act(userId, circleId, pledgeId, 'cancel');
  }

  /**
   * The donor or an organizer steers a pledge. For a card pledge the provider subscription
   * changes first; if that fails nothing changes here, and if this update then loses a race
   * the subscription webhook brings the pledge in line.
   */
  /** Pledges of the user, in any circle, that still expect money (account deletion waits for them). */
  async openPledgeCount(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.tx.manager.query(
      `SELECT count(*)::int AS n FROM pledges WHERE donor_user_id = $1 AND status IN ('pending', 'active', 'paused', 'past_due')`,
      [userId],
    );
    return rows[0].n;
  }

  private async act(userId: string, circleId: string, pledgeId: string, action: PledgeAction): Promise<PledgeResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const pledge = await manager.createQueryBuilder(Pledge, 'p').setLock('pessimistic_write').where('p.id = :pledgeId AND p.circle_id = :circleId', { pledgeId, circleId }).getOne();
      this.requireSteer(ctx, pledge);
      const target = DONOR_MOVES[action].to;
      if (pledge.status === target) return toPledgeResponse(pledge);
      expectMove('pledge', DONOR_MOVES, action, pledge.status);
      if (pledge.method === 'card' && pledge.providerSubscriptionRef) await this.steerSubscription(pledge, action);
      const moved = await this.transitions.move(pledge, target, userActor(userId));
      if (!moved) throw lostRace('pledge', (await manager.findOneByOrFail(Pledge, { id: pledge.id })).status);
      return toPledgeResponse(moved);
    });
  }

  private async steerSubscription(pledge: Pledge, action: PledgeAction): Promise<void> {
    // The reference names this exact change (pledge and its next version), so a retry is one provider request.
    const reference = `${pledge.id}-v${pledge.version + 1}`;
    const ref = pledge.providerSubscriptionRef!;
    if (action === 'pause') await this.payments.pauseSubscription(ref, reference);
    else if (action === 'resume') await this.payments.resumeSubscription(ref, reference);
    else await this.payments.cancelSubscription(ref, reference);
  }

  /** Only the donor or an organizer; a treasurer sees the pledge (403), anyone else does not (404). */
  private requireSteer(ctx: CircleContext, pledge: Pledge | null): asserts pledge is Pledge {
    if (!pledge) throw DomainError.notFound('pledge');
    if (pledge.donorUserId === ctx.userId || ctx.role === 'organizer') return;
    if (ctx.role === 'treasurer') throw new DomainError('forbidden', 'Only the donor or an organizer can change a pledge.');
    throw DomainError.notFound('pledge');
  }
}
