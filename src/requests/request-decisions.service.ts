import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import { roleAtLeast, type CircleRole } from '../circles/circle-role.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { RosterService } from '../roster/roster.service.js';
import { budgetMonthOf } from './budget-month.js';
import type { ApproveRequestDto } from './dto/approve-request.dto.js';
import { toRequestResponse, type RequestResponse } from './dto/request.response.js';
import { RequestSettingsService } from './request-settings.service.js';
import { RequestTransitions } from './request-transitions.service.js';
import type { GrantRequest } from './request.entity.js';
import { userActor } from '../common/actor.js';

/**
 * Approving and cancelling (docs/grants.md). The rules are checked here for a clear answer and
 * again by the database (requests_guard and the checks on `requests`), so no code path can
 * skip them: no one approves a request they opened or referred; a grant at or above the
 * circle's two-person threshold needs a second, different organizer or treasurer; approvals
 * stay within the month's grant budget; and the pool is not promised twice.
 */
@Injectable()
export class RequestDecisions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly settings: RequestSettingsService,
    private readonly transitions: RequestTransitions,
    private readonly roster: RosterService,
  ) {}

  async approve(userId: string, circleId: string, requestId: string, dto: ApproveRequestDto): Promise<RequestResponse> {
    return this.tx.run(async (manager) => {
      const ctx = await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      this.transitions.expect(request, 'approve');
      if (request.openedBy === userId) {
        throw new DomainError('second-person-required', 'You opened or referred this request: another organizer decides on it.');
      }
      const showOpener = ctx.role === 'organizer';
      const now = new Date();

      if (request.kind === 'roster') {
        if (dto.amount !== undefined || dto.aboveAsked) throw fieldError('amount', 'amount applies to grants only');
        requireOrganizer(ctx.role);
        // The person joins the waitlist under the id their vault fields are sealed with: they move, nothing is copied.
        await this.roster.admit(circleId, request.subjectId, request.alias, userId);
        const approved = await this.transitions.apply(manager, request, 'approve', userActor(userId), { approvedBy: userId, recipientId: request.subjectId, decidedAt: now });
        return toRequestResponse(approved, showOpener, true);
      }

      const rules = await this.settings.rulesOf(circleId);
      const first = request.approvedBy;
      if (first !== null) {
        // The second of two approvals: someone else, for the amount the first one approved.
        if (first === userId) throw new DomainError('second-person-required', 'You gave this grant its first approval; a second, different organizer or treasurer must approve it.');
        const granted = BigInt(request.amountGranted!);
        if (dto.amount !== undefined && BigInt(dto.amount) !== granted) {
          throw new DomainError('invalid-state', `The first approval was for ${granted} minor units; approve that amount, or decline the request.`, { state: request.status });
        }
        const approved = await this.transitions.apply(manager, request, 'approve', userActor(userId), { secondApprovedBy: userId, budgetMonth: budgetMonthOf(now, ctx.timezone), decidedAt: now });
        return toRequestResponse(approved, showOpener, true);
      }

      requireOrganizer(ctx.role);
      const amount = BigInt(dto.amount ?? request.amountAsked!);
      const aboveAsked = amount > BigInt(request.amountAsked!);
      if (aboveAsked && !dto.aboveAsked) throw fieldError('amount', 'amount is more than was asked; set aboveAsked to grant it anyway');
      const changes: Partial<GrantRequest> = { approvedBy: userId, amountGranted: String(amount), aboveAsked };
      if (rules.twoPersonThreshold !== null && amount >= rules.twoPersonThreshold) {
        // At or above the threshold one approval is not enough: record it and wait for the second.
        return toRequestResponse(await this.transitions.record(manager, request, 'first_approval', userActor(userId), changes), showOpener, true);
      }
      const approved = await this.transitions.apply(manager, request, 'approve', userActor(userId), { ...changes, budgetMonth: budgetMonthOf(now, ctx.timezone), decidedAt: now });
      return toRequestResponse(approved, showOpener, true);
    });
  }

  /** approved → cancelled (organizer): a grant that will not be paid frees its reservation of the pool. */
  async cancel(userId: string, circleId: string, requestId: string): Promise<RequestResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      this.transitions.expect(request, 'cancel');
      if (request.kind === 'roster') throw new DomainError('invalid-state', 'An approved roster request is a recipient now: manage them on the roster.', { state: request.status });
      if (request.sentBy !== null) throw new DomainError('invalid-state', 'A treasurer has recorded sending this grant; it waits for the second sender.', { state: request.status });
      return toRequestResponse(await this.transitions.apply(manager, request, 'cancel', userActor(userId)), true);
    });
  }
}

function requireOrganizer(role: CircleRole): void {
  if (!roleAtLeast(role, 'organizer')) {
    throw new DomainError('forbidden', 'An organizer approves requests; a treasurer may only give a grant its second approval.');
  }
}

function fieldError(field: string, message: string): DomainError {
  return new DomainError('validation-failed', message, { errors: [{ field, message }] });
}
