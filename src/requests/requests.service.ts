import type { EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError, type FieldError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { EventsService } from '../events/events.service.js';
import { ReceiptsService } from '../ledger/receipts.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { requestChange } from './request-events.js';
import type { CreateRequestDto } from './dto/create-request.dto.js';
import type { RequestPrivateResponse } from './dto/request-private.response.js';
import { toRequestHistoryResponse, toRequestResponse, type RequestDetailResponse, type RequestResponse } from './dto/request.response.js';
import { RequestHistory } from './request-history.entity.js';
import type { DeclineReason, GrantCategory, RequestKind, RequestSource, RequestStatus } from './request-status.js';
import { RequestTransitions } from './request-transitions.service.js';
import { GrantRequest } from './request.entity.js';
import { actorColumns, LINK_ACTOR, userActor } from '../common/actor.js';

/** A request as reports count it: no alias, no opener, nothing from the vault. */
export interface RequestFigures {
  id: string;
  kind: RequestKind;
  category: GrantCategory | null;
  source: RequestSource;
  status: RequestStatus;
  amountAsked: bigint | null;
  amountGranted: bigint | null;
  declineReason: DeclineReason | null;
  createdAt: Date;
  decidedAt: Date | null;
  sentAt: Date | null;
}

/** A grant as grants.csv lists it. */
export interface GrantFigures extends RequestFigures {
  currency: string;
  method: string | null;
  referenceLast4: string | null;
  proofSha256: string | null;
  transferId: string | null;
  reversalTransferId: string | null;
  acknowledgedAt: Date | null;
}

const toFigures = (r: GrantRequest): RequestFigures => ({
  id: r.id,
  kind: r.kind,
  category: r.category,
  source: r.source,
  status: r.status,
  amountAsked: r.amountAsked === null ? null : BigInt(r.amountAsked),
  amountGranted: r.amountGranted === null ? null : BigInt(r.amountGranted),
  declineReason: r.declineReason,
  createdAt: r.createdAt,
  decidedAt: r.decidedAt,
  sentAt: r.sentAt,
});

export interface NewRequest {
  circleId: string;
  currency: string;
  source: RequestSource;
  openedBy: string | null;
  intakeLinkId: string | null;
  dto: CreateRequestDto;
}

/** Requests for help: opening them, reading them, review and decline. Decisions that move money are in RequestDecisions and GrantPayments. */
@Injectable()
export class RequestsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly privacy: PrivacyService,
    private readonly transitions: RequestTransitions,
    private readonly events: EventsService,
    private readonly receipts: ReceiptsService,
  ) {}

  /** A member refers a neighbour (recorded as the referrer), or an organizer opens a request. */
  async open(userId: string, circleId: string, dto: CreateRequestDto): Promise<RequestResponse> {
    return this.tx.run(async () => {
      const ctx = await this.access.require(circleId, userId);
      const source: RequestSource = ctx.role === 'organizer' ? 'organizer' : 'referral';
      const request = await this.insert({ circleId, currency: ctx.currency, source, openedBy: userId, intakeLinkId: null, dto });
      return toRequestResponse(request, ctx.role === 'organizer', true);
    });
  }

  /**
   * Writes a new request, its first history row and its vault fields in the caller's
   * transaction. The personal fields go to the vault only (invariant 9).
   */
  async insert(input: NewRequest): Promise<GrantRequest> {
    checkKindFields(input.dto);
    return this.tx.run(async (manager) => {
      const id = randomUUID();
      const subjectId = randomUUID();
      const at = new Date();
      const { dto } = input;
      await manager.insert(GrantRequest, {
        id,
        circleId: input.circleId,
        subjectId,
        kind: dto.kind,
        category: dto.kind === 'grant' ? dto.category! : null,
        amountAsked: dto.kind === 'grant' ? String(dto.amount!) : null,
        currency: input.currency,
        alias: dto.alias,
        status: 'submitted',
        source: input.source,
        openedBy: input.openedBy,
        intakeLinkId: input.intakeLinkId,
        statusChangedAt: at,
      });
      await manager.insert(RequestHistory, { circleId: input.circleId, requestId: id, event: 'status_change', fromStatus: null, toStatus: 'submitted', ...actorColumns(input.openedBy === null ? LINK_ACTOR : userActor(input.openedBy)), at });
      await this.privacy.store(input.circleId, subjectId, { contact: dto.contact ?? null, payoutHandle: dto.payoutHandle ?? null, note: dto.note ?? null });
      const request = await manager.findOneByOrFail(GrantRequest, { id });
      await this.events.emit('request.submitted', input.circleId, requestChange(request, null, at), at);
      return request;
    });
  }

  /** Organizers and treasurers (who pay grants) see the circle's requests, newest first. */
  async list(userId: string, circleId: string, filter: { status?: RequestStatus; kind?: RequestKind }, limit: number, cursor?: string): Promise<Page<RequestResponse>> {
    const ctx = await this.access.require(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(GrantRequest, 'r')
      .where('r.circle_id = :circleId', { circleId })
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1);
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    if (after) qb.andWhere('(r.created_at, r.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return toPage(await qb.getMany(), limit, (r) => [r.createdAt.toISOString(), r.id], (r) => toRequestResponse(r, ctx.role === 'organizer'));
  }

  async get(userId: string, circleId: string, requestId: string): Promise<RequestDetailResponse> {
    const ctx = await this.access.require(circleId, userId);
    const request = await this.find(circleId, requestId);
    const history = await this.tx.manager.find(RequestHistory, { where: { requestId, circleId }, order: { id: 'ASC' } });
    return { ...toRequestResponse(request, ctx.role === 'organizer'), history: history.map(toRequestHistoryResponse) };
  }

  /** submitted → in_review (organizer). */
  async review(userId: string, circleId: string, requestId: string): Promise<RequestResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      return toRequestResponse(await this.transitions.apply(manager, request, 'review', userActor(userId)), true);
    });
  }

  /** submitted | in_review → declined with a reason from a fixed list (organizer). */
  async decline(userId: string, circleId: string, requestId: string, reason: DeclineReason): Promise<RequestResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      return toRequestResponse(await this.transitions.apply(manager, request, 'decline', userActor(userId), { declineReason: reason, decidedAt: new Date() }), true);
    });
  }

  /** The requester's contact, payout handle and note, decrypted for an organizer; the read is recorded. */
  async readPrivate(userId: string, circleId: string, requestId: string): Promise<RequestPrivateResponse> {
    const ctx = await this.access.require(circleId, userId);
    const request = await this.find(circleId, requestId);
    requireOwnVault(request);
    const contents = await this.privacy.read(ctx.userId, circleId, request.subjectId);
    if (!contents) throw new DomainError('not-found', 'No private data is stored for this request: none was given, it was erased, or it was purged after the retention period.');
    return { requestId, contact: contents.contact, payoutHandle: contents.payoutHandle, note: contents.note, updatedAt: contents.updatedAt.toISOString() };
  }

  /**
   * Erasure of a request's private data (organizer): the vault row, its key and its files are
   * destroyed, and the alias is removed from any receipt it was published on; the request and
   * its money trail stay.
   */
  async erasePrivate(userId: string, circleId: string, requestId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      requireOwnVault(request);
      await this.privacy.discard(circleId, request.subjectId);
      // A grant published with the alias (circle showing aliases) keeps only its digest from now on.
      await this.receipts.forgetAliasesOf(circleId, request.subjectId);
      await this.transitions.record(manager, request, 'private_erased', userActor(userId));
    });
  }

  /**
   * For the read side (reports; callers check access first): the requests opened in
   * [from, to), as figures only — kind, category, source, state, amounts and dates. Never an
   * alias, an opener or anything from the vault (invariant 9).
   */
  async figuresOpenedIn(circleId: string, from: Date, to: Date): Promise<RequestFigures[]> {
    const rows = await this.tx.manager
      .createQueryBuilder(GrantRequest, 'r')
      .select(['r.id', 'r.kind', 'r.category', 'r.source', 'r.status', 'r.amountAsked', 'r.amountGranted', 'r.declineReason', 'r.createdAt', 'r.decidedAt', 'r.sentAt'])
      .where('r.circle_id = :circleId AND r.created_at >= :from AND r.created_at < :to', { circleId, from, to })
      .orderBy('r.created_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
    return rows.map(toFigures);
  }

  /**
   * For grants.csv (callers check access first): every grant of the circle, oldest first, in
   * keyset batches (a grant created meanwhile may or may not be included), as figures only.
   */
  async *grantFigures(circleId: string, batchSize = 500, manager: EntityManager = this.tx.manager): AsyncGenerator<GrantFigures[]> {
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const qb = manager
        .createQueryBuilder(GrantRequest, 'r')
        .where('r.circle_id = :circleId AND r.kind = :kind', { circleId, kind: 'grant' })
        .orderBy('r.created_at', 'ASC')
        .addOrderBy('r.id', 'ASC')
        .limit(batchSize);
      if (after) qb.andWhere('(r.created_at, r.id) > (:at::timestamptz, :id::uuid)', { at: after.at, id: after.id });
      const rows = await qb.getMany();
      if (rows.length === 0) return;
      after = { at: rows[rows.length - 1].createdAt, id: rows[rows.length - 1].id };
      yield rows.map((r) => ({ ...toFigures(r), method: r.proof.method, referenceLast4: r.proof.referenceLast4, proofSha256: r.proof.proofSha256, transferId: r.transferId, reversalTransferId: r.reversalTransferId, acknowledgedAt: r.acknowledgedAt, currency: r.currency }));
      if (rows.length < batchSize) return;
    }
  }

  async find(circleId: string, requestId: string): Promise<GrantRequest> {
    const request = await this.tx.manager.findOneBy(GrantRequest, { id: requestId, circleId });
    if (!request) throw DomainError.notFound('request');
    return request;
  }
}

/** Once a roster request became a recipient, its vault row is the recipient's: read and erase it through the roster. */
function requireOwnVault(request: GrantRequest): void {
  if (request.recipientId) {
    throw new DomainError('invalid-state', 'This request became a recipient on the roster; its private data is now read and erased at …/recipients/{recipientId}/private.', { state: request.status });
  }
}

/** A grant names a category and an amount; a roster request names neither. Messages never echo values. */
function checkKindFields(dto: CreateRequestDto): void {
  const errors: FieldError[] = [];
  if (dto.kind === 'grant') {
    if (dto.category === undefined) errors.push({ field: 'category', message: 'category is required for a grant' });
    if (dto.amount === undefined) errors.push({ field: 'amount', message: 'amount is required for a grant' });
  } else {
    if (dto.category !== undefined) errors.push({ field: 'category', message: 'category applies to grants only' });
    if (dto.amount !== undefined) errors.push({ field: 'amount', message: 'amount applies to grants only' });
  }
  if (errors.length) throw new DomainError('validation-failed', errors.map((e) => e.message).join('; '), { errors });
}
