// Offline verification of a circle's receipts and checkpoints (pure): recomputes the hash
// chain from the receipts' own fields and checks every checkpoint's signature and hash.
// Used by `npm run verify-receipts` (verify-receipts-cli.ts); docs/receipts.md.
import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, nameDigest, receiptHash, type ReceiptFields } from '../../ledger/receipt-canonical.js';
import { verifyCheckpoint } from './checkpoint-message.js';

export interface VerifiableReceipt extends ReceiptFields {
  prevHash: string;
  hash: string;
  /** Shown beside aliasDigest until the recipient is erased; checked against it when present. */
  alias?: string | null;
  aliasSalt?: string | null;
  /** Shown beside donorDigest while the donor keeps the name; checked against it when present. */
  donorName?: string | null;
  donorSalt?: string | null;
}

/** A shown name matches the hashed digest it stands beside (SHA-256 of its salt and the name). */
function nameMatches(name: string, salt: string | null | undefined, digest: string | null): boolean {
  return typeof salt === 'string' && /^[0-9a-f]{32}$/.test(salt) && nameDigest(salt, name) === digest;
}

export interface VerifiableCheckpoint {
  id: string;
  circleId: string;
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

export interface VerificationFailure {
  /** The sequence number the failure is about (a receipt's, or the one a checkpoint signed). */
  seq: number;
  message: string;
}

export interface VerificationReport {
  ok: boolean;
  receipts: number;
  /** The highest sequence number seen in the receipts or signed by a checkpoint. */
  lastSeq: number;
  checkpoints: number;
  /** Runs of sequence numbers up to lastSeq that no downloaded receipt has, as [first, last]. */
  missing: [number, number][];
  /** Everything else that is wrong, by sequence number. */
  failures: VerificationFailure[];
  firstFailingSeq: number | null;
}

/** Checks the chain 1..lastSeq and every checkpoint against `key` (the deployment's public key). */
export function verifyReceipts(circleId: string, receipts: readonly VerifiableReceipt[], checkpoints: readonly VerifiableCheckpoint[], key: { keyId: string; publicKey: KeyObject }): VerificationReport {
  const failures: VerificationFailure[] = [];
  const bySeq = new Map<number, VerifiableReceipt>();
  for (const r of receipts) {
    if (bySeq.has(r.seq)) failures.push({ seq: r.seq, message: `receipt ${r.seq} appears more than once` });
    else bySeq.set(r.seq, r);
  }
  // Loops, not Math.max(...spread): a chain can hold more receipts than a call takes arguments.
  let lastSeq = 0;
  for (const seq of bySeq.keys()) if (seq > lastSeq) lastSeq = seq;
  for (const c of checkpoints) if (c.seq > lastSeq) lastSeq = c.seq;
  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const missing: [number, number][] = [];
  let expected = 1;
  for (const seq of [...ordered.map((r) => r.seq), lastSeq + 1]) {
    if (seq > expected) missing.push([expected, seq - 1]);
    expected = Math.max(expected, seq + 1);
  }

  for (const r of ordered) {
    if (r.circleId !== circleId) failures.push({ seq: r.seq, message: `receipt ${r.seq} belongs to another circle` });
    let recomputed: string | undefined;
    try {
      recomputed = receiptHash(r.prevHash, r);
    } catch (error) {
      failures.push({ seq: r.seq, message: `receipt ${r.seq} is malformed: ${(error as Error).message}` });
    }
    if (recomputed !== undefined && recomputed !== r.hash) failures.push({ seq: r.seq, message: `receipt ${r.seq} was altered: its hash does not match its contents` });
    if (typeof r.alias === 'string' && !nameMatches(r.alias, r.aliasSalt, r.aliasDigest)) {
      failures.push({ seq: r.seq, message: `receipt ${r.seq} shows an alias that does not match its aliasDigest` });
    }
    if (typeof r.donorName === 'string' && !nameMatches(r.donorName, r.donorSalt, r.donorDigest)) {
      failures.push({ seq: r.seq, message: `receipt ${r.seq} shows a donor name that does not match its donorDigest` });
    }
    const before = bySeq.get(r.seq - 1);
    if (r.seq === 1 && r.prevHash !== GENESIS_HASH) failures.push({ seq: 1, message: 'receipt 1 does not start the chain (its prevHash is not 64 zeros)' });
    if (before && before.hash !== r.prevHash) failures.push({ seq: r.seq, message: `receipt ${r.seq} does not link to receipt ${r.seq - 1} (prevHash differs from its hash)` });
  }

  for (const c of checkpoints) {
    const name = `checkpoint ${c.id} (seq ${c.seq}, signed ${c.signedAt})`;
    if (c.circleId !== circleId) failures.push({ seq: c.seq, message: `${name} belongs to another circle` });
    if (c.keyId !== key.keyId) failures.push({ seq: c.seq, message: `${name} is signed by key ${c.keyId}, not by the server's key ${key.keyId}` });
    else if (!verifyCheckpoint(key.publicKey, { circleId: c.circleId, seq: c.seq, hash: c.hash, signedAt: c.signedAt, keyId: c.keyId }, c.signature)) {
      failures.push({ seq: c.seq, message: `${name}: the signature does not verify` });
    }
    const signed = bySeq.get(c.seq);
    if (signed && signed.hash !== c.hash) failures.push({ seq: c.seq, message: `receipt ${c.seq} differs from what ${name} signed` });
  }

  failures.sort((a, b) => a.seq - b.seq);
  const firstFailingSeq = Math.min(missing[0]?.[0] ?? Infinity, failures[0]?.seq ?? Infinity);
  return {
    ok: missing.length === 0 && failures.length === 0,
    receipts: bySeq.size,
    lastSeq,
    checkpoints: checkpoints.length,
    missing,
    failures,
    firstFailingSeq: Number.isFinite(firstFailingSeq) ? firstFailingSeq : null,
  };
}

/** [[3, 5], [9, 9]] → "3–5, 9". */
export function seqRanges(ranges: readonly [number, number][]): string {
  return ranges.map(([first, last]) => (first === last ? String(first) : `${first}–${last}`)).join(', ');
}
