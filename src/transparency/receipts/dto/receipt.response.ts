import { ApiProperty } from '@nestjs/swagger';
import { toJsonAmount } from '../../../ledger/ledger-amount.js';
import type { ReceiptRecord } from '../../../ledger/receipt-types.js';

const HEX_HASH = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/**
 * One published receipt. Every field but `prevHash` and `hash` is hashed, in the canonical
 * form of docs/receipts.md; no recipient id, contact, memo or donor identity is ever here.
 */
export class ReceiptResponse {
  /** Random per receipt: it links to nothing else. */
  id: string;

  circleId: string;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, description: "Position in the circle's chain: 1, 2, 3… without gaps.", example: 42 })
  seq: number;

  @ApiProperty({ description: 'payout, contribution, fee, refund, dispute, reversal or adjustment (another kind of posting keeps its own name).', example: 'payout' })
  kind: string;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, description: 'Minor units of the currency (17500 = 175.00 USD).', example: 17500 })
  amount: number;

  /** @example "USD" */
  currency: string;

  @ApiProperty({ enum: ['in', 'out'], nullable: true, description: "Into or out of the circle's money; null when a posting neither adds to nor takes from the pool." })
  direction: 'in' | 'out' | null;

  @ApiProperty({ type: String, nullable: true, description: 'How the money moved (cash, cashapp, card, …).', example: 'cashapp' })
  method: string | null;

  @ApiProperty({ type: 'string', format: 'date', description: "The day the money moved, in the circle's time zone.", example: '2026-03-06' })
  date: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The cycle of a payout (or of its reversal).' })
  cycleId: string | null;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, description: 'The week of the cycle of a payout.', example: 3 })
  week: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[0-9a-f]{64}$',
    description: "Only if the circle showed recipients' aliases (`showRecipientAliases`) when this was posted: SHA-256(aliasSalt bytes ‖ UTF-8 alias), hex. This, not the alias, is hashed into the chain.",
  })
  aliasDigest: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The alias behind `aliasDigest`; null again once the recipient is erased (the digest stays, so the chain still verifies). Not hashed.' })
  alias: string | null;

  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9a-f]{32}$', description: 'The random salt of `aliasDigest` (16 bytes, hex), shown with the alias and erased with it. Not hashed.' })
  aliasSalt: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'On contributions, refunds and disputes: "a neighbour", or null when the donor chose to be named in this circle (then see `donorDigest` and `donorName`). Null on other receipts.',
    example: 'a neighbour',
  })
  donor: string | null;

  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9a-f]{64}$', description: 'Only for a donor who chose to be named: SHA-256(donorSalt bytes ‖ UTF-8 donorName), hex. This, not the name, is hashed into the chain.' })
  donorDigest: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The name the donor chose, while they keep it (withdrawing it or deleting the account empties it; the digest stays). Not hashed.' })
  donorName: string | null;

  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9a-f]{32}$', description: 'The random salt of `donorDigest`, shown and removed with the name. Not hashed.' })
  donorSalt: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'On a reversal: the id of the receipt it reverses.' })
  reverses: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['rent', 'medical', 'food', 'utilities', 'transport', 'childcare', 'other'],
    description: 'On a grant and its reversal: what the grant was for. Hashed only when present: on other receipts it is null and not part of the canonical JSON.',
  })
  category: string | null;

  @ApiProperty({ ...HEX_HASH, description: "The previous receipt's hash (64 zeros for seq 1)." })
  prevHash: string;

  @ApiProperty({ ...HEX_HASH, description: 'SHA-256(prevHash bytes ‖ UTF-8 canonical JSON of this receipt), hex.' })
  hash: string;
}

export class ReceiptPageResponse {
  /** In chain order, oldest first. */
  items: ReceiptResponse[];
  nextCursor: string | null;
}

export function toReceiptResponse(r: ReceiptRecord): ReceiptResponse {
  return {
    id: r.id,
    circleId: r.circleId,
    seq: toJsonAmount(r.seq),
    kind: r.kind,
    amount: toJsonAmount(r.amount),
    currency: r.currency,
    direction: r.direction,
    method: r.method,
    date: r.date,
    cycleId: r.cycleId,
    week: r.week,
    aliasDigest: r.aliasDigest,
    alias: r.alias,
    aliasSalt: r.aliasSalt,
    donor: r.donor,
    donorDigest: r.donorDigest,
    donorName: r.donorName,
    donorSalt: r.donorSalt,
    reverses: r.reverses,
    category: r.category,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
