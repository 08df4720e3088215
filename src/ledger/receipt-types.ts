/** A receipt as the ledger reads it back (receipts table); hashes in lower-case hex. */
export interface ReceiptRecord {
  id: string;
  circleId: string;
  seq: bigint;
  kind: string;
  amount: bigint;
  currency: string;
  direction: 'in' | 'out' | null;
  method: string | null;
  /** YYYY-MM-DD, the day the money moved in the circle's time zone. */
  date: string;
  cycleId: string | null;
  week: number | null;
  /** Hex SHA-256(salt ‖ alias) when the receipt was published with an alias; hashed. */
  aliasDigest: string | null;
  /** The alias and its salt (hex) while the recipient is not erased; not hashed. */
  alias: string | null;
  aliasSalt: string | null;
  /** "a neighbour", or null when the donor chose to be named (donorDigest); hashed. */
  donor: string | null;
  /** Hex SHA-256(salt ‖ name) of the name a donor chose; hashed. */
  donorDigest: string | null;
  /** The donor's chosen name and its salt (hex) while they keep it; not hashed. */
  donorName: string | null;
  donorSalt: string | null;
  reverses: string | null;
  /** What a grant was for, on grant receipts and their reversals; hashed only when present. */
  category: string | null;
  prevHash: string;
  hash: string;
}

/** The head of a circle's chain: seq 0 and 64 zeros before its first receipt. */
export interface ReceiptChainHead {
  circleId: string;
  seq: bigint;
  hash: string;
}
