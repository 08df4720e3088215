// What a checkpoint signs (pure), shared by the server and the verifier. docs/receipts.md
// specifies it: anyone can check a checkpoint with the published Ed25519 public key.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** Names what the signature is for, so it cannot be replayed as a signature of anything else. */
export const CHECKPOINT_TYPE = 'arvut-receipts-checkpoint';

/** The signed statement: "circle `circleId`'s chain had `seq` receipts ending in `hash` at `signedAt`". */
export interface CheckpointStatement {
  circleId: string;
  seq: number;
  /** The hash of receipt `seq`, 64 lower-case hex digits. */
  hash: string;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-03-06T17:00:00.000Z. */
  signedAt: string;
  keyId: string;
}

/** `{"circleId":…,"hash":…,"keyId":…,"seq":…,"signedAt":…,"type":"arvut-receipts-checkpoint"}`: sorted keys, no whitespace. */
export function canonicalCheckpoint(statement: CheckpointStatement): string {
  if (!Number.isSafeInteger(statement.seq) || statement.seq < 1) throw new TypeError('a checkpoint seq is a positive integer');
  const s = JSON.stringify;
  return `{"circleId":${s(statement.circleId)},"hash":${s(statement.hash)},"keyId":${s(statement.keyId)},"seq":${statement.seq},"signedAt":${s(statement.signedAt)},"type":${s(CHECKPOINT_TYPE)}}`;
}

/** The first 16 hex digits of SHA-256 over the public key's DER SubjectPublicKeyInfo. */
export function signingKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** Ed25519 signature of the canonical statement's UTF-8 bytes, in base64. */
export function signCheckpoint(privateKey: KeyObject, statement: CheckpointStatement): string {
  return sign(null, Buffer.from(canonicalCheckpoint(statement), 'utf8'), privateKey).toString('base64');
}

export function verifyCheckpoint(publicKey: KeyObject, statement: CheckpointStatement, signatureBase64: string): boolean {
  try {
    return verify(null, Buffer.from(canonicalCheckpoint(statement), 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
