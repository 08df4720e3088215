// The canonical bytes of a receipt and the chain hash (pure), the JavaScript twin of
// receipt_canonical() in migrations/1790000000800-Receipts.ts. docs/receipts.md is the
// specification both follow; anyone can re-implement it to verify receipts offline.
import { createHash } from 'node:crypto';

/** The hashed fields of a receipt, as the feed shows them. */
export interface ReceiptFields {
  id: string;
  circleId: string;
  seq: number;
  kind: string;
  /** Minor units, a positive safe integer. */
  amount: number;
  currency: string;
  direction: 'in' | 'out' | null;
  method: string | null;
  /** YYYY-MM-DD in the circle's time zone. */
  date: string;
  cycleId: string | null;
  week: number | null;
  /** Hex SHA-256(salt ‖ UTF-8 alias), or null: the alias itself is not hashed (it can be erased). */
  aliasDigest: string | null;
  donor: string | null;
  /** Hex SHA-256(salt ‖ UTF-8 name) of a donor who chose to be named, or null. */
  donorDigest: string | null;
  reverses: string | null;
  /** What a grant was for, on a grant's receipt and its reversal. Hashed only when present (absent or null: the key is left out). */
  category?: string | null;
}

/** Every key of the canonical JSON, in the order written (sorted by UTF-16 code units). */
export const RECEIPT_HASHED_FIELDS = ['aliasDigest', 'amount', 'circleId', 'currency', 'cycleId', 'date', 'direction', 'donor', 'donorDigest', 'id', 'kind', 'method', 'reverses', 'seq', 'week'] as const satisfies readonly (keyof ReceiptFields)[];

/**
 * Keys hashed only on receipts that have them, so every receipt published before they existed
 * keeps its canonical bytes: `category` (grants, docs/receipts.md).
 */
export const RECEIPT_OPTIONAL_HASHED_FIELDS = ['category'] as const satisfies readonly (keyof ReceiptFields)[];

/** hash(0): the `prevHash` of a circle's first receipt, 32 zero bytes in hex. */
export const GENESIS_HASH = '0'.repeat(64);

const INTEGER_FIELDS = new Set<string>(['amount', 'seq', 'week']);

/**
 * `{"alias":…,"amount":…,…}`: keys sorted, no whitespace, every key present (null when it
 * does not apply) except the optional ones, which appear only with a value; integers as JSON
 * numbers, strings escaped as JSON.stringify does.
 */
export function canonicalReceiptJson(receipt: ReceiptFields): string {
  const optional = RECEIPT_OPTIONAL_HASHED_FIELDS.filter((key) => receipt[key] !== null && receipt[key] !== undefined);
  // Default sort compares UTF-16 code units, the order RFC 8785 asks for.
  const keys: (keyof ReceiptFields)[] = [...RECEIPT_HASHED_FIELDS, ...optional].sort();
  const parts = keys.map((key) => {
    const value = receipt[key];
    if (value === null || value === undefined) return `${JSON.stringify(key)}:null`;
    if (INTEGER_FIELDS.has(key)) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`receipt ${key} must be a safe integer`);
      return `${JSON.stringify(key)}:${value}`;
    }
    if (typeof value !== 'string') throw new TypeError(`receipt ${key} must be a string or null`);
    return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  });
  return `{${parts.join(',')}}`;
}

/** The digest of a name (an alias, a donor's name) under `saltHex` (16 bytes): SHA-256(salt ‖ UTF-8 name), hex. */
export function nameDigest(saltHex: string, name: string): string {
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(name, 'utf8').digest('hex');
}

/** Invariant 8: hash(n) = SHA-256(hash(n−1) ‖ UTF-8 canonical JSON of receipt n), in hex. */
export function receiptHash(prevHashHex: string, receipt: ReceiptFields): string {
  if (!/^[0-9a-f]{64}$/.test(prevHashHex)) throw new TypeError('prevHash must be 64 lower-case hex digits');
  return createHash('sha256').update(Buffer.from(prevHashHex, 'hex')).update(canonicalReceiptJson(receipt), 'utf8').digest('hex');
}
