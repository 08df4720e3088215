// One column group for how money went out (src/payouts/payment-proof.ts): payouts and grant
// requests embed the same class under the same column names, and declare none of them alone.
import { describe, expect, it } from '@jest/globals';
import { getMetadataArgsStorage } from 'typeorm';
import { PaymentProof, paymentProofOf, sameProof } from '../../src/payouts/payment-proof.js';
import { Payout } from '../../src/payouts/payout.entity.js';
import { GrantRequest } from '../../src/requests/request.entity.js';

const PROOF_COLUMNS = ['method', 'reference_last4', 'proof_sha256'];

describe('the payment-proof column group', () => {
  it('is embedded, unprefixed, by payouts and by requests', () => {
    const storage = getMetadataArgsStorage();
    const embeds = storage.embeddeds.filter((e) => e.type() === PaymentProof).map((e) => [e.target, e.propertyName, e.prefix]);
    expect(embeds).toEqual(expect.arrayContaining([[Payout, 'proof', false], [GrantRequest, 'proof', false]]));
    expect(storage.columns.filter((c) => c.target === PaymentProof).map((c) => c.options.name)).toEqual(PROOF_COLUMNS);
    const ownCopies = storage.columns.filter((c) => (c.target === Payout || c.target === GrantRequest) && PROOF_COLUMNS.includes(c.options.name ?? c.propertyName));
    expect(ownCopies).toEqual([]);
  });

  it('reads a sender\'s statement and compares two of them field by field', () => {
    const first = paymentProofOf({ method: 'zelle', referenceLast4: '9921' });
    expect(first).toEqual({ method: 'zelle', referenceLast4: '9921', proofSha256: null });
    expect(sameProof(first, paymentProofOf({ method: 'zelle', referenceLast4: '9921' }))).toBe(true);
    expect(sameProof(first, paymentProofOf({ method: 'cash', referenceLast4: '9921' }))).toBe(false);
    expect(sameProof(first, paymentProofOf({ method: 'zelle', referenceLast4: '9921', proofSha256: 'a'.repeat(64) }))).toBe(false);
  });
});
