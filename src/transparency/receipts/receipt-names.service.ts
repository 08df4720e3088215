import { Injectable } from '@nestjs/common';
import { CircleAccess } from '../../circles/circle-access.service.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { ReceiptsService } from '../../ledger/receipts.service.js';
import type { ReceiptNameResponse } from './dto/receipt-name.dto.js';

/**
 * A member's opt-in to be named on the receipts of their contributions in a circle
 * (docs/design.md "Transparency": donors appear as "a neighbour" unless they opt in). The ledger
 * keeps the choice and the published names; this is the member's door to them.
 */
@Injectable()
export class ReceiptNamesService {
  constructor(
    private readonly access: CircleAccess,
    private readonly receipts: ReceiptsService,
    private readonly tx: TransactionHost,
  ) {}

  async get(userId: string, circleId: string): Promise<ReceiptNameResponse> {
    await this.access.require(circleId, userId);
    return { name: await this.receipts.nameChoice(circleId, userId), unnamedReceipts: 0 };
  }

  async choose(userId: string, circleId: string, name: string | null): Promise<ReceiptNameResponse> {
    return this.tx.run(async () => {
      await this.access.require(circleId, userId);
      const unnamedReceipts = await this.receipts.chooseName(circleId, userId, name);
      return { name, unnamedReceipts };
    });
  }
}
