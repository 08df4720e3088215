import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { REQUEST_EVENT } from '../events/event-map.js';
import { EventsService } from '../events/events.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { requestChange } from './request-events.js';
import { RequestHistory } from './request-history.entity.js';
import { CLOSED_STATUSES, REQUEST_TRANSITIONS, type RequestHistoryEvent, type RequestStatus, type RequestTransition } from './request-status.js';
import { GrantRequest } from './request.entity.js';
import { actorColumns, type Actor } from '../common/actor.js';
import { expectMove, lostRace } from '../common/state-machine.js';

const DECIDED: readonly RequestStatus[] = ['approved', 'declined', 'withdrawn', 'cancelled', 'expired'];

/**
 * The request state machine (src/requests/request-status.ts). Each transition is one guarded
 * UPDATE … WHERE status = expected on a locked row, recorded in request_history in the same
 * transaction; the database refuses any other pair (requests_guard). Callers check access first.
 */
@Injectable()
export class RequestTransitions {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly events: EventsService,
  ) {}

  /** The request of the circle, locked until the transaction ends; 404 when it is not there. */
  async lock(manager: EntityManager, circleId: string, requestId: string): Promise<GrantRequest> {
    const request = await manager
      .createQueryBuilder(GrantRequest, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :requestId AND r.circle_id = :circleId', { requestId, circleId })
      .getOne();
    if (!request) throw DomainError.notFound('request');
    return request;
  }

  /** 409 naming the current state when `transition` cannot start from it. */
  expect(request: GrantRequest, transition: RequestTransition): void {
    expectMove('request', REQUEST_TRANSITIONS, transition, request.status);
  }

  /** Moves a locked request along `transition`, setting `changes` in the same UPDATE. */
  async apply(manager: EntityManager, request: GrantRequest, transition: RequestTransition, actor: Actor, changes: Partial<GrantRequest> = {}): Promise<GrantRequest> {
    const { to } = expectMove('request', REQUEST_TRANSITIONS, transition, request.status);
    const at = new Date();
    const result = await manager
      .createQueryBuilder()
      .update(GrantRequest)
      .set({ ...changes, status: to, statusChangedAt: at })
      .where('id = :id AND status = :expected', { id: request.id, expected: request.status })
      .execute();
    // The row is locked, so this only fails if a caller skipped lock(): never silently lose a transition.
    if (result.affected !== 1) throw lostRace('request', (await manager.findOneByOrFail(GrantRequest, { id: request.id })).status);
    await manager.insert(RequestHistory, { circleId: request.circleId, requestId: request.id, event: 'status_change', fromStatus: request.status, toStatus: to, ...actorColumns(actor), at });
    // A decided request needs its files no longer (docs/privacy.md): they go with the decision.
    if (DECIDED.includes(to)) await this.privacy.discardAttachments(request.circleId, request.subjectId);
    // Nothing more will be done with the person's contact or handle: the retention clock starts.
    if (CLOSED_STATUSES.includes(to)) await this.privacy.markExited(request.circleId, request.subjectId, at);
    const moved = await manager.findOneByOrFail(GrantRequest, { id: request.id });
    await this.events.emit(REQUEST_EVENT[to], request.circleId, requestChange(moved, request.status, at), at);
    return moved;
  }

  /** Sets `changes` on a locked request without a state change and records `event` (who, when). */
  async record(manager: EntityManager, request: GrantRequest, event: RequestHistoryEvent, actor: Actor, changes: Partial<GrantRequest> = {}): Promise<GrantRequest> {
    if (Object.keys(changes).length > 0) {
      const result = await manager
        .createQueryBuilder()
        .update(GrantRequest)
        .set(changes)
        .where('id = :id AND status = :expected', { id: request.id, expected: request.status })
        .execute();
      if (result.affected !== 1) throw lostRace('request', (await manager.findOneByOrFail(GrantRequest, { id: request.id })).status);
    }
    await manager.insert(RequestHistory, { circleId: request.circleId, requestId: request.id, event, fromStatus: request.status, toStatus: request.status, ...actorColumns(actor) });
    return manager.findOneByOrFail(GrantRequest, { id: request.id });
  }
}
