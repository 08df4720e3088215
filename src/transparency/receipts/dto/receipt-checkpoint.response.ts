import { ApiProperty } from '@nestjs/swagger';
import type { ReceiptCheckpoint } from '../receipt-checkpoint.entity.js';

export class ReceiptCheckpointResponse {
  id: string;

  circleId: string;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, description: 'The chain had this many receipts when it was signed.', example: 42 })
  seq: number;

  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{64}$', description: 'The hash of receipt `seq`.' })
  hash: string;

  /** When it was signed (ISO 8601 UTC, milliseconds), exactly as in the signed statement. */
  signedAt: string;

  /** Which key signed it: see GET /v1/transparency/public-key. */
  keyId: string;

  @ApiProperty({ description: 'Ed25519 signature (base64) of the canonical statement described in docs/receipts.md.' })
  signature: string;
}

export class ReceiptCheckpointPageResponse {
  /** Oldest first. */
  items: ReceiptCheckpointResponse[];
  nextCursor: string | null;
}

export function toReceiptCheckpointResponse(c: ReceiptCheckpoint): ReceiptCheckpointResponse {
  return {
    id: c.id,
    circleId: c.circleId,
    seq: Number(c.seq),
    hash: c.hash.toString('hex'),
    signedAt: c.signedAt.toISOString(),
    keyId: c.keyId,
    signature: c.signature.toString('base64'),
  };
}
