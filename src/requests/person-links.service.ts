import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { ACKNOWLEDGEMENT_TOKEN as LINK_TOKEN, hashAcknowledgementToken as hashLinkToken, newAcknowledgementToken as newLinkToken } from '../payouts/acknowledgement-token.js';
import type { PayoutAcknowledgementResponse } from '../payouts/dto/payout-acknowledgement.response.js';
import { PayoutAcknowledgements } from '../payouts/payout-acknowledgements.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { RosterService } from '../roster/roster.service.js';
import type { StatusLinkResponse } from './dto/links.response.js';
import type { SelfExitDto, UpdateOwnPrivateDto } from './dto/person-link.dto.js';
import type { OwnRequestView, PersonViewResponse } from './dto/person-view.response.js';
import { PersonLink } from './person-link.entity.js';
import type { AttachmentResponse } from './dto/attachment.response.js';
import { RequestAttachments } from './request-attachments.service.js';
import { RequestTransitions } from './request-transitions.service.js';
import { GrantRequest } from './request.entity.js';
import { LINK_ACTOR, userActor } from '../common/actor.js';

export const PERSON_LINK_PATH = '/v1/person-links';

/** What a live link leads to: a request (and, once approved for the roster, its recipient), or a recipient. */
interface Resolved {
  link: PersonLink;
  request: GrantRequest | null;
  recipientId: string | null;
}

/**
 * Private status links (docs/grants.md): a secret per request or per recipient, stored as its
 * SHA-256 and shown once, with which a person without an account sees their state, withdraws
 * their request, replaces their contact or payout handle, acknowledges money, and — on the
 * roster — takes themself off it. An unknown, replaced or revoked link is a 404.
 */
@Injectable()
export class PersonLinks {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly transitions: RequestTransitions,
    private readonly privacy: PrivacyService,
    private readonly roster: RosterService,
    private readonly payouts: PayoutAcknowledgements,
    private readonly attachments: RequestAttachments,
  ) {}

  /**
   * A new link for a request (organizer), replacing any earlier one. The token is only in this
   * response: the operation takes no Idempotency-Key, so no stored copy of it exists.
   */
  async issueForRequest(userId: string, circleId: string, requestId: string): Promise<StatusLinkResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      const issued = await this.issue(circleId, { requestId }, userId);
      await this.transitions.record(manager, request, 'link_issued', userActor(userId));
      return issued;
    });
  }

  /** A new link for a recipient on the roster (organizer), replacing any earlier one. */
  async issueForRecipient(userId: string, circleId: string, recipientId: string): Promise<StatusLinkResponse> {
    return this.tx.run(async () => {
      await this.access.require(circleId, userId);
      const { status } = await this.roster.statusOf(circleId, recipientId);
      if (status === 'exited') throw new DomainError('invalid-state', 'The recipient has left the roster; there is nothing left for a link to do.', { state: status });
      return this.issue(circleId, { recipientId }, userId);
    });
  }

  async revokeForRequest(userId: string, circleId: string, requestId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const request = await this.transitions.lock(manager, circleId, requestId);
      if (await this.revoke(circleId, { requestId })) await this.transitions.record(manager, request, 'link_revoked', userActor(userId));
    });
  }

  async revokeForRecipient(userId: string, circleId: string, recipientId: string): Promise<void> {
    await this.tx.run(async () => {
      await this.access.require(circleId, userId);
      await this.roster.statusOf(circleId, recipientId);
      await this.revoke(circleId, { recipientId });
    });
  }

  /** Called inside a request made through an intake link: the requester gets their link at once. */
  issueOnIntake(circleId: string, requestId: string): Promise<StatusLinkResponse> {
    return this.issue(circleId, { requestId }, null);
  }

  async view(token: string): Promise<PersonViewResponse> {
    const { request, recipientId, link } = await this.resolve(token);
    const roster = recipientId
      ? { ...(await this.roster.statusOf(link.circleId, recipientId)), payouts: await this.payouts.sentTo(link.circleId, recipientId) }
      : null;
    return { request: request ? toOwnView(request) : null, roster };
  }

  /** submitted | in_review → withdrawn, by the requester. */
  async withdraw(token: string): Promise<PersonViewResponse> {
    await this.tx.run(async (manager) => {
      const { request } = await this.resolve(token);
      if (!request) throw DomainError.notFound('request for this link');
      const locked = await this.transitions.lock(manager, request.circleId, request.id);
      await this.transitions.apply(manager, locked, 'withdraw', LINK_ACTOR, { decidedAt: new Date() });
    });
    return this.view(token);
  }

  /** paid → acknowledged: the requester confirms the grant arrived. */
  async acknowledgeGrant(token: string): Promise<PersonViewResponse> {
    await this.tx.run(async (manager) => {
      const { request } = await this.resolve(token);
      if (!request) throw DomainError.notFound('request for this link');
      const locked = await this.transitions.lock(manager, request.circleId, request.id);
      if (locked.status === 'acknowledged') throw new DomainError('acknowledgement-used', 'This grant has already been acknowledged.');
      await this.transitions.apply(manager, locked, 'acknowledge', LINK_ACTOR, { acknowledgedAt: new Date() });
    });
    return this.view(token);
  }

  /** A recipient confirms one of their payouts arrived. */
  async acknowledgePayout(token: string, payoutId: string): Promise<PayoutAcknowledgementResponse> {
    const { recipientId, link } = await this.resolve(token);
    if (!recipientId) throw DomainError.notFound('payout');
    return this.payouts.acknowledgeAsRecipient(link.circleId, recipientId, payoutId);
  }

  /** The recipient leaves the roster ("I found a job"); their slot is offered to the next person. */
  async exit(token: string, dto: SelfExitDto): Promise<PersonViewResponse> {
    await this.tx.run(async () => {
      const { recipientId, link } = await this.resolve(token);
      if (!recipientId) throw new DomainError('invalid-state', 'This link is for a request that is not on the roster.');
      await this.roster.exitBySelf(link.circleId, recipientId, dto.reason);
    });
    return this.view(token);
  }

  /** Replaces the person's contact and/or payout handle in the vault; what they leave out is kept. */
  async updatePrivate(token: string, dto: UpdateOwnPrivateDto): Promise<void> {
    const changes = Object.fromEntries(Object.entries({ contact: dto.contact, payoutHandle: dto.payoutHandle }).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length === 0) {
      throw new DomainError('validation-failed', 'give contact, payoutHandle or both', { errors: [{ field: 'contact', message: 'give contact, payoutHandle or both' }] });
    }
    await this.tx.run(async (manager) => {
      const { request, recipientId, link } = await this.resolve(token);
      const subjectId = recipientId ?? request!.subjectId;
      if (recipientId) {
        const { status } = await this.roster.statusOf(link.circleId, recipientId);
        if (status === 'exited') throw new DomainError('invalid-state', 'You have left the roster; your details are kept only until they are deleted.', { state: status });
      } else {
        const locked = await this.transitions.lock(manager, request!.circleId, request!.id);
        if (['declined', 'withdrawn', 'cancelled', 'acknowledged', 'returned', 'expired'].includes(locked.status)) {
          throw new DomainError('invalid-state', `This request is ${locked.status}; its details are kept only until they are deleted.`, { state: locked.status });
        }
        await this.transitions.record(manager, locked, 'private_updated', LINK_ACTOR);
      }
      if (!(await this.privacy.update(link.circleId, subjectId, changes))) {
        await this.privacy.store(link.circleId, subjectId, { contact: dto.contact ?? null, payoutHandle: dto.payoutHandle ?? null, note: null });
      }
    });
  }

  /** The requester attaches a file (a bill, a letter) to their open request. */
  async addAttachment(token: string, content: Buffer): Promise<AttachmentResponse> {
    const { request } = await this.resolve(token);
    if (!request) throw DomainError.notFound('request for this link');
    return this.attachments.add(request, content);
  }

  private async issue(circleId: string, target: { requestId?: string; recipientId?: string }, createdBy: string | null): Promise<StatusLinkResponse> {
    await this.revoke(circleId, target);
    const token = newLinkToken();
    await this.tx.manager.insert(PersonLink, { id: randomUUID(), circleId, tokenHash: hashLinkToken(token), requestId: target.requestId ?? null, recipientId: target.recipientId ?? null, createdBy });
    return { token, path: `${PERSON_LINK_PATH}/${token}` };
  }

  private async revoke(circleId: string, target: { requestId?: string; recipientId?: string }): Promise<boolean> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(PersonLink)
      .set({ revokedAt: new Date() })
      .where(`circle_id = :circleId AND revoked_at IS NULL AND ${target.requestId ? 'request_id = :id' : 'recipient_id = :id'}`, { circleId, id: target.requestId ?? target.recipientId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async resolve(token: string): Promise<Resolved> {
    if (!LINK_TOKEN.test(token)) throw DomainError.notFound('link');
    const link = await this.tx.manager.findOneBy(PersonLink, { tokenHash: hashLinkToken(token) });
    if (!link || link.revokedAt) throw DomainError.notFound('link');
    if (link.recipientId) return { link, request: null, recipientId: link.recipientId };
    const request = await this.tx.manager.findOneByOrFail(GrantRequest, { id: link.requestId!, circleId: link.circleId });
    return { link, request, recipientId: request.recipientId };
  }
}

function toOwnView(r: GrantRequest): OwnRequestView {
  return {
    kind: r.kind,
    status: r.status,
    category: r.category,
    amountAsked: r.amountAsked === null ? null : Number(r.amountAsked),
    amountGranted: r.status === 'submitted' || r.status === 'in_review' || r.amountGranted === null ? null : Number(r.amountGranted),
    currency: r.currency,
    declineReason: r.declineReason,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    sentAt: r.sentAt?.toISOString() ?? null,
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
  };
}
