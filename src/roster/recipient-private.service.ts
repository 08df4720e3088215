import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { ReceiptsService } from '../ledger/receipts.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { toPrivateReadResponse, type PrivateReadResponse } from './dto/private-read.response.js';
import type { RecipientResponse } from './dto/recipient.response.js';
import { toRecipientPrivateResponse, type RecipientPrivateResponse } from './dto/recipient-private.response.js';
import type { ReplaceRecipientPrivateDto } from './dto/replace-recipient-private.dto.js';
import { neutralAlias } from './neutral-alias.js';
import { RecipientQueries } from './recipient-queries.js';
import { invalidState } from './recipient-transitions.js';
import { Recipient } from './recipient.entity.js';

/**
 * A recipient's private data, seen from the roster: resolves the recipient in the circle
 * (unknown → 404), then hands over to the vault. Organizers only (docs/design.md "Privacy").
 */
@Injectable()
export class RecipientPrivateService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly queries: RecipientQueries,
    private readonly privacy: PrivacyService,
    private readonly receipts: ReceiptsService,
  ) {}

  async read(userId: string, circleId: string, recipientId: string): Promise<RecipientPrivateResponse> {
    await this.access.require(circleId, userId);
    const recipient = await this.queries.findOrFail(circleId, recipientId);
    const contents = await this.privacy.read(userId, circleId, recipientId);
    if (!contents) {
      const why = recipient.erasedAt ? 'it was erased' : recipient.exitedAt ? 'none was given, or it was purged after the retention period' : 'none was given';
      throw new DomainError('not-found', `No private data is stored for this recipient: ${why}.`);
    }
    return toRecipientPrivateResponse(recipientId, contents);
  }

  async listReads(userId: string, circleId: string, recipientId: string, limit: number, cursor?: string): Promise<Page<PrivateReadResponse>> {
    await this.access.require(circleId, userId);
    await this.queries.findOrFail(circleId, recipientId);
    const page = await this.privacy.listReads(userId, circleId, recipientId, limit, cursor);
    return { items: page.items.map(toPrivateReadResponse), nextCursor: page.nextCursor };
  }

  async replace(userId: string, circleId: string, recipientId: string, dto: ReplaceRecipientPrivateDto): Promise<void> {
    await this.tx.run(async () => {
      await this.access.require(circleId, userId);
      // Locked, so an exit or an erasure cannot slip between the check and the write.
      const recipient = await this.queries.lockOrFail(circleId, recipientId);
      if (recipient.erasedAt) throw new DomainError('invalid-state', 'This recipient\'s private data was erased; no new private data can be stored.');
      // After an exit the vault only waits for its retention purge.
      if (recipient.status === 'exited') throw invalidState('exited', 'private data can only be read or erased after an exit.');
      await this.privacy.put(userId, circleId, recipientId, { contact: dto.contact ?? null, payoutHandle: dto.payoutHandle ?? null, note: dto.note ?? null });
    });
  }

  /**
   * Erasure: destroys the vault row and its key, replaces the alias, and deletes the alias
   * from the receipts it was published on (their salted digests stay, so the chain still
   * verifies); payouts and the ledger keep the internal id only.
   */
  async erase(userId: string, circleId: string, recipientId: string): Promise<RecipientResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const recipient = await this.queries.lockOrFail(circleId, recipientId);
      await this.privacy.erase(userId, circleId, recipientId);
      await this.receipts.forgetAliasesOf(circleId, recipientId);
      if (!recipient.erasedAt) await manager.update(Recipient, { id: recipientId }, { alias: neutralAlias(), erasedAt: new Date() });
      return this.queries.toResponse(await this.queries.findOrFail(circleId, recipientId));
    });
  }
}
