import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalReceiptJson, GENESIS_HASH, nameDigest, receiptHash, type ReceiptFields } from '../../src/ledger/receipt-canonical.js';
import { signCheckpoint, signingKeyId } from '../../src/transparency/receipts/checkpoint-message.js';
import { seqRanges, verifyReceipts, type VerifiableCheckpoint, type VerifiableReceipt } from '../../src/transparency/receipts/receipt-verifier.js';

const CIRCLE = '4b0c8e6a-2f1d-4c3b-9a7e-6d5f4e3c2b1a';
// The worked example of docs/receipts.md: if this changes, so must the documentation.
const EXAMPLE: ReceiptFields = {
  id: '5f0c3c1e-8d2a-4b7e-9c41-2f6a1d9e7b10', circleId: CIRCLE, seq: 1, kind: 'contribution', amount: 2500, currency: 'USD', direction: 'in',
  method: 'cash', date: '2026-03-01', cycleId: null, week: null, aliasDigest: null, donor: 'a neighbour', donorDigest: null, reverses: null,
};

function chain(n: number): VerifiableReceipt[] {
  const items: VerifiableReceipt[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: ReceiptFields = { ...EXAMPLE, id: `5f0c3c1e-8d2a-4b7e-9c41-${String(seq).padStart(12, '0')}`, seq, amount: 100 * seq };
    const hash = receiptHash(prev, fields);
    items.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return items;
}

describe('receipt canonical JSON and hash', () => {
  it('matches the worked example of docs/receipts.md byte for byte', () => {
    expect(canonicalReceiptJson(EXAMPLE)).toBe(
      '{"aliasDigest":null,"amount":2500,"circleId":"4b0c8e6a-2f1d-4c3b-9a7e-6d5f4e3c2b1a","currency":"USD","cycleId":null,"date":"2026-03-01","direction":"in","donor":"a neighbour","donorDigest":null,"id":"5f0c3c1e-8d2a-4b7e-9c41-2f6a1d9e7b10","kind":"contribution","method":"cash","reverses":null,"seq":1,"week":null}',
    );
    expect(receiptHash(GENESIS_HASH, EXAMPLE)).toBe('ce589b2936fc65295cf1f0a7b081306025eb7e2ff05bcc8277e88d6a1c741a8c');
    expect(nameDigest('00112233445566778899aabbccddeeff', 'Neighbour 3')).toBe('509cde1b619820116fa7d86fdf076daa78e3afed7fe4d6962470737e5994b843');
  });

  it('is JSON.stringify of the receipt with its keys sorted, whatever the text', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'grapheme', maxLength: 40 })), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (donor, amount) => {
        const r = { ...EXAMPLE, donor, amount };
        const sorted = Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
        expect(canonicalReceiptJson(r)).toBe(JSON.stringify(sorted));
      }),
    );
  });

  it('hashes a grant\'s category only when there is one, so older receipts keep their bytes', () => {
    expect(canonicalReceiptJson({ ...EXAMPLE, category: null })).toBe(canonicalReceiptJson(EXAMPLE));
    const grant = canonicalReceiptJson({ ...EXAMPLE, kind: 'grant', direction: 'out', donor: null, category: 'medical' });
    expect(grant).toContain('"amount":2500,"category":"medical","circleId":');
    fc.assert(
      fc.property(fc.constantFrom('rent', 'medical', 'food', 'other'), (category) => {
        const r = { ...EXAMPLE, kind: 'grant', category };
        const sorted = Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
        expect(canonicalReceiptJson(r)).toBe(JSON.stringify(sorted));
      }),
    );
  });

  it('refuses amounts that are not safe integers rather than hash a float', () => {
    expect(() => canonicalReceiptJson({ ...EXAMPLE, amount: 17.5 })).toThrow(TypeError);
    expect(() => canonicalReceiptJson({ ...EXAMPLE, seq: 2 ** 53 })).toThrow(TypeError);
  });
});

describe('verifyReceipts', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = { keyId: signingKeyId(publicKey), publicKey };
  const checkpointOf = (r: VerifiableReceipt, signingKey = privateKey): VerifiableCheckpoint => {
    const statement = { circleId: CIRCLE, seq: r.seq, hash: r.hash, signedAt: '2026-03-06T17:00:00.000Z', keyId: key.keyId };
    return { id: 'c1', ...statement, signature: signCheckpoint(signingKey, statement) };
  };

  it('passes an intact chain and its checkpoint', () => {
    const items = chain(5);
    expect(verifyReceipts(CIRCLE, items, [checkpointOf(items[4])], key)).toMatchObject({ ok: true, receipts: 5, lastSeq: 5, missing: [], failures: [], firstFailingSeq: null });
  });

  it('names an altered receipt, a broken link, a duplicate and missing ones', () => {
    const items = chain(8);
    items[1] = { ...items[1], amount: 1 };
    items[5] = { ...items[5], prevHash: GENESIS_HASH, hash: receiptHash(GENESIS_HASH, items[5]) };
    const report = verifyReceipts(CIRCLE, [...items.slice(0, 3), items[2], ...items.slice(5)], [], key);
    expect(report.ok).toBe(false);
    expect(report.missing).toEqual([[4, 5]]);
    // Receipt 6 hashes correctly from its own prevHash; that prevHash is not receipt 5's cannot
    // be seen with 5 missing, but receipt 7 no longer links to it.
    expect(report.failures.map((f) => f.message)).toEqual([
      'receipt 2 was altered: its hash does not match its contents',
      'receipt 3 appears more than once',
      'receipt 7 does not link to receipt 6 (prevHash differs from its hash)',
    ]);
    expect(report.firstFailingSeq).toBe(2);
  });

  it('checks a shown alias against the hashed digest, and still verifies the chain once the alias is erased', () => {
    const salt = '00112233445566778899aabbccddeeff';
    const fields: ReceiptFields = { ...EXAMPLE, kind: 'payout', direction: 'out', donor: null, aliasDigest: nameDigest(salt, 'Neighbour 3') };
    const hash = receiptHash(GENESIS_HASH, fields);
    const shown: VerifiableReceipt = { ...fields, prevHash: GENESIS_HASH, hash, alias: 'Neighbour 3', aliasSalt: salt };
    expect(verifyReceipts(CIRCLE, [shown], [], key).ok).toBe(true);
    // After erasure the alias and salt are gone; the digest, which is what was hashed, stays.
    expect(verifyReceipts(CIRCLE, [{ ...shown, alias: null, aliasSalt: null }], [], key).ok).toBe(true);
    for (const wrong of [{ alias: 'Neighbour 4' }, { aliasSalt: 'ff'.repeat(16) }, { aliasSalt: null }]) {
      expect(verifyReceipts(CIRCLE, [{ ...shown, ...wrong }], [], key).failures.map((f) => f.message)).toEqual(['receipt 1 shows an alias that does not match its aliasDigest']);
    }
    // The same for a donor who chose to be named.
    const named: ReceiptFields = { ...EXAMPLE, donor: null, donorDigest: nameDigest(salt, 'Dana K.') };
    const withName: VerifiableReceipt = { ...named, prevHash: GENESIS_HASH, hash: receiptHash(GENESIS_HASH, named), donorName: 'Dana K.', donorSalt: salt };
    expect(verifyReceipts(CIRCLE, [withName], [], key).ok).toBe(true);
    expect(verifyReceipts(CIRCLE, [{ ...withName, donorName: null, donorSalt: null }], [], key).ok).toBe(true);
    expect(verifyReceipts(CIRCLE, [{ ...withName, donorName: 'Dan K.' }], [], key).failures.map((f) => f.message)).toEqual(['receipt 1 shows a donor name that does not match its donorDigest']);
  });

  it('finds receipts cut from the end through a checkpoint, and refuses forged or foreign signatures', () => {
    const items = chain(6);
    const report = verifyReceipts(CIRCLE, items.slice(0, 4), [checkpointOf(items[5])], key);
    expect(report.missing).toEqual([[5, 6]]);
    expect(report.firstFailingSeq).toBe(5);

    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = verifyReceipts(CIRCLE, items, [checkpointOf(items[5], other)], key);
    expect(forged.failures.map((f) => f.message)).toEqual([expect.stringContaining('the signature does not verify')]);
    const moved = { ...checkpointOf(items[5]), seq: 5 };
    expect(verifyReceipts(CIRCLE, items, [moved], key).failures.map((f) => f.seq)).toEqual([5, 5]);
  });

  it('writes runs of sequence numbers compactly', () => {
    expect(seqRanges([[3, 5], [9, 9]])).toBe('3–5, 9');
  });
});
