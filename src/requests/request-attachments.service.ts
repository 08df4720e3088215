import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PrivacyService, type AttachmentRecord } from '../privacy/privacy.service.js';
import type { AttachmentResponse } from './dto/attachment.response.js';
import { detectAttachmentType, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_REQUEST } from './file-signature.js';
import { RequestSettingsService } from './request-settings.service.js';
import { RequestTransitions } from './request-transitions.service.js';
import { GrantRequest } from './request.entity.js';
import { LINK_ACTOR, userActor, type Actor } from '../common/actor.js';

/**
 * Files a requester (through their status link) or an organizer attaches to an open request
 * (a bill, a letter): only when the circle allows it, at most MAX_ATTACHMENTS_PER_REQUEST of at most 5 MB, JPEG, PNG or PDF by their
 * first bytes, sealed in the vault. Organizers list them and read them (each read logged);
 * they are deleted when the request is decided (RequestTransitions) or with the vault row.
 */
@Injectable()
export class RequestAttachments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly privacy: PrivacyService,
    private readonly settings: RequestSettingsService,
    private readonly transitions: RequestTransitions,
  ) {}

  /** Called with the request already resolved from the requester's status link. */
  async add(request: GrantRequest, content: Buffer): Promise<AttachmentResponse> {
    return this.tx.run(async (manager) => this.store(manager, await this.transitions.lock(manager, request.circleId, request.id), content, LINK_ACTOR));
  }

  /**
   * Organizers attach a file to an open request (a bill a neighbour handed them), within the
   * same limits, counted together with the requester's own. The access check comes before the
   * upload is read: a stranger's or a lower role's upload is never read.
   */
  async addByOrganizer(userId: string, circleId: string, requestId: string, read: () => Promise<Buffer>): Promise<AttachmentResponse> {
    await this.access.require(circleId, userId);
    const content = await read();
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      return this.store(manager, await this.transitions.lock(manager, circleId, requestId), content, userActor(userId));
    });
  }

  /** The rules every attachment keeps, on a request locked so concurrent uploads cannot pass the count together, nor race a decision. */
  private async store(manager: EntityManager, locked: GrantRequest, content: Buffer, actor: Actor): Promise<AttachmentResponse> {
    const rules = await this.settings.rulesOf(locked.circleId);
    if (!rules.attachmentsEnabled) throw new DomainError('invalid-state', 'This circle does not take attachments with requests.');
    if (locked.status !== 'submitted' && locked.status !== 'in_review') {
      throw new DomainError('invalid-state', `This request is ${locked.status}; files are attached only while it is submitted or in review.`, { state: locked.status });
    }
    if (content.length > MAX_ATTACHMENT_BYTES) throw new DomainError('payload-too-large', 'An attached file may be at most 5 MB.');
    const type = detectAttachmentType(content);
    if (!type) throw new DomainError('unsupported-file-type', 'The file is not a JPEG, PNG or PDF (judged by its content, not its name).');
    const existing = await this.privacy.listAttachments(locked.circleId, locked.subjectId);
    if (existing.length >= MAX_ATTACHMENTS_PER_REQUEST) throw new DomainError('too-many-attachments', `A request carries at most ${MAX_ATTACHMENTS_PER_REQUEST} files.`);
    const stored = await this.privacy.attach(locked.circleId, locked.subjectId, type, content);
    await this.transitions.record(manager, locked, 'attachment_added', actor);
    return toShape(stored);
  }

  /** Organizers: what files a request carries (never their content). */
  async list(userId: string, circleId: string, requestId: string): Promise<AttachmentResponse[]> {
    await this.access.require(circleId, userId);
    const request = await this.find(circleId, requestId);
    return (await this.privacy.listAttachments(circleId, request.subjectId)).map(toShape);
  }

  /** Organizers: one file's content; the read is recorded like any vault read. */
  async read(userId: string, circleId: string, requestId: string, attachmentId: string): Promise<{ contentType: string; content: Buffer }> {
    await this.access.require(circleId, userId);
    const request = await this.find(circleId, requestId);
    const file = await this.privacy.readAttachment(userId, circleId, request.subjectId, attachmentId);
    if (!file) throw DomainError.notFound('attachment');
    return file;
  }

  private async find(circleId: string, requestId: string): Promise<GrantRequest> {
    const request = await this.tx.manager.findOneBy(GrantRequest, { id: requestId, circleId });
    if (!request) throw DomainError.notFound('request');
    return request;
  }
}

const toShape = (a: AttachmentRecord): AttachmentResponse => ({ id: a.id, contentType: a.contentType, sizeBytes: a.sizeBytes, createdAt: a.createdAt.toISOString() });
