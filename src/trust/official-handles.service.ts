import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { TransactionHost } from '../database/transaction-host.js';
import { normalizeHandle } from '../privacy/identity-normalize.js';
import type { AddOfficialHandleDto } from './dto/trust.dto.js';
import { toOfficialHandleResponse, type HandleCheckResponse, type OfficialHandleResponse } from './dto/trust.response.js';
import { OfficialHandle } from './official-handle.entity.js';

/**
 * Where donors send the circle's money (docs/trust.md "Official handles"). The circle's own
 * handles, not personal data: members read them, and anyone when the circle's receipts are
 * public. A check answers yes or no only.
 */
@Injectable()
export class OfficialHandlesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
  ) {}

  async list(userId: string | undefined, circleId: string): Promise<OfficialHandleResponse[]> {
    await this.access.requireReader(circleId, userId);
    const rows = await this.tx.manager.find(OfficialHandle, { where: { circleId }, order: { addedAt: 'ASC', id: 'ASC' } });
    return rows.map(toOfficialHandleResponse);
  }

  async add(userId: string, circleId: string, dto: AddOfficialHandleDto): Promise<OfficialHandleResponse> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const normalized = requireHandle(dto.handle);
      if (await manager.existsBy(OfficialHandle, { circleId, method: dto.method, normalized })) {
        throw new DomainError('conflict', 'This handle is already listed for this payment method.');
      }
      const id = randomUUID();
      await manager.insert(OfficialHandle, { id, circleId, method: dto.method, handle: dto.handle.trim(), normalized, addedBy: userId });
      return toOfficialHandleResponse(await manager.findOneByOrFail(OfficialHandle, { id }));
    });
  }

  async remove(userId: string, circleId: string, handleId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.access.require(circleId, userId);
      const result = await manager.delete(OfficialHandle, { id: handleId, circleId });
      if (!result.affected) throw DomainError.notFound('official handle');
    });
  }

  /** Yes when the handle, normalized, is one of the circle's; a look-alike ("eastsideaid2") is no. */
  async check(userId: string | undefined, circleId: string, handle: string): Promise<HandleCheckResponse> {
    await this.access.requireReader(circleId, userId);
    return { official: await this.tx.manager.existsBy(OfficialHandle, { circleId, normalized: requireHandle(handle) }) };
  }
}

// Messages never echo the handle (it may be a phone number or an email).
function requireHandle(handle: string): string {
  const normalized = normalizeHandle(handle);
  if (normalized === null || normalized.length > 100) {
    throw new DomainError('validation-failed', 'handle must contain at least one character besides spaces, $ and @', { errors: [{ field: 'handle', message: 'handle is empty once spaces and a leading $ or @ are removed' }] });
  }
  return normalized;
}
