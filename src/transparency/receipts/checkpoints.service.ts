import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { EventsService } from '../../events/events.service.js';
import type { ReceiptChainHead } from '../../ledger/receipt-types.js';
import { ReceiptsService } from '../../ledger/receipts.service.js';
import { toReceiptCheckpointResponse, type ReceiptCheckpointResponse } from './dto/receipt-checkpoint.response.js';
import { ReceiptCheckpoint } from './receipt-checkpoint.entity.js';
import { SigningKeyService } from './signing-key.service.js';

/**
 * Signed checkpoints of receipt chains: on an organizer's request, and hourly for every
 * circle whose chain has grown since it was last signed. Readers see them as they see the
 * circle's receipts (members; anyone when receipts are public).
 */
@Injectable()
export class CheckpointsService {
  private readonly logger = new Logger('ReceiptCheckpoints');

  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly receipts: ReceiptsService,
    private readonly key: SigningKeyService,
    private readonly events: EventsService,
  ) {}

  /** Organizers: signs the chain head as it is now. A circle without receipts has nothing to sign (409). */
  async create(userId: string, circleId: string): Promise<ReceiptCheckpointResponse> {
    await this.access.require(circleId, userId);
    const head = await this.receipts.head(circleId);
    if (head.seq === 0n) throw new DomainError('invalid-state', 'This circle has no receipts yet, so there is no chain head to sign.');
    return toReceiptCheckpointResponse(await this.sign(head, new Date()));
  }

  async list(userId: string | undefined, circleId: string, limit: number, cursor?: string): Promise<Page<ReceiptCheckpointResponse>> {
    await this.access.requireReader(circleId, userId);
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(ReceiptCheckpoint, 'c')
      .where('c.circle_id = :circleId', { circleId })
      .orderBy('c.signed_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('(c.signed_at, c.id) > (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const rows = await qb.getMany();
    return toPage(rows, limit, (c) => [c.signedAt.toISOString(), c.id], toReceiptCheckpointResponse);
  }

  /** The job: signs every chain head that moved since its last checkpoint. Returns how many were signed. */
  async signMovedHeads(now: Date = new Date()): Promise<number> {
    const rows: { circle_id: string; seq: string }[] = await this.tx.manager.query('SELECT circle_id, max(seq)::text AS seq FROM receipt_checkpoints GROUP BY circle_id');
    const lastSigned = new Map(rows.map((r) => [r.circle_id, BigInt(r.seq)]));
    const heads = await this.receipts.headsAbove(lastSigned);
    let signed = 0;
    for (const head of heads) {
      try {
        await this.sign(head, now);
        signed++;
      } catch (error) {
        // One circle's failure (e.g. deleted meanwhile) must not stop the others; ids only in the log.
        this.logger.warn({ circleId: head.circleId, err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'checkpoint not signed');
      }
    }
    return signed;
  }

  private async sign(head: ReceiptChainHead, at: Date): Promise<ReceiptCheckpoint> {
    const signedAt = new Date(at.getTime());
    const { keyId, signature } = this.key.sign({ circleId: head.circleId, seq: Number(head.seq), hash: head.hash, signedAt: signedAt.toISOString() });
    const checkpoint = this.tx.manager.create(ReceiptCheckpoint, {
      id: randomUUID(),
      circleId: head.circleId,
      seq: head.seq.toString(),
      hash: Buffer.from(head.hash, 'hex'),
      signedAt,
      keyId,
      signature: Buffer.from(signature, 'base64'),
    });
    return this.tx.run(async (manager) => {
      await manager.insert(ReceiptCheckpoint, checkpoint);
      await this.events.emit('checkpoint.signed', head.circleId, { checkpointId: checkpoint.id, sequence: Number(head.seq), hash: head.hash, signedAt: signedAt.toISOString(), keyId }, signedAt);
      return checkpoint;
    });
  }
}
