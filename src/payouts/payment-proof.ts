import { Column } from 'typeorm';
import type { PayoutMethod } from './payout-status.js';

/**
 * How money went out to a person — a weekly payout or a grant: the method, the transfer
 * reference's last four characters and the SHA-256 of the transfer screenshot (which itself
 * never reaches arvut). One column group embedded by both tables (src/payouts/payout.entity.ts,
 * src/requests/request.entity.ts) under the same column names, so the two cannot drift apart.
 */
export class PaymentProof {
  @Column({ name: 'method', type: 'varchar', length: 16, nullable: true })
  method: PayoutMethod | null;

  /** Last four characters of the transfer reference, for matching a bank or app statement. */
  @Column({ name: 'reference_last4', type: 'varchar', length: 4, nullable: true })
  referenceLast4: string | null;

  /** SHA-256 of the transfer screenshot; the screenshot itself is never stored. */
  @Column({ name: 'proof_sha256', type: 'char', length: 64, nullable: true })
  proofSha256: string | null;
}

/** The proof as a sender states it (SendPayoutDto: method required, the rest optional). */
export function paymentProofOf(dto: { method: PayoutMethod; referenceLast4?: string; proofSha256?: string }): PaymentProof {
  return { method: dto.method, referenceLast4: dto.referenceLast4 ?? null, proofSha256: dto.proofSha256 ?? null };
}

/** Whether two statements of a sending agree in every detail (the two-person rule's confirmation). */
export function sameProof(a: PaymentProof, b: PaymentProof): boolean {
  return a.method === b.method && a.referenceLast4 === b.referenceLast4 && a.proofSha256 === b.proofSha256;
}
