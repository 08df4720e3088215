// One grant as a row of grants.csv (pure). docs/grants.md describes the columns.
import type { GrantFigures } from '../../requests/requests.service.js';
import type { CsvValue } from '../csv.js';
import { formatMinorUnits } from '../decimal-amount.js';

/** Figures only: no alias, no requester, no referrer, nothing from the vault (invariant 9). */
export const GRANTS_CSV_COLUMNS = [
  'request_id',
  'asked_at',
  'category',
  'source',
  'status',
  'amount_asked_minor',
  'amount_granted_minor',
  'amount_granted',
  'currency',
  'decline_reason',
  'decided_at',
  'sent_at',
  'acknowledged_at',
  'method',
  'reference_last4',
  'proof_sha256',
  'transfer_id',
  'reversal_transfer_id',
] as const;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The cells of one grant, in GRANTS_CSV_COLUMNS order. */
export function grantCsvRow(g: GrantFigures, exponent: number): CsvValue[] {
  return [
    g.id,
    iso(g.createdAt),
    g.category,
    g.source,
    g.status,
    g.amountAsked,
    g.amountGranted,
    g.amountGranted === null ? null : formatMinorUnits(g.amountGranted, exponent),
    g.currency,
    g.declineReason,
    iso(g.decidedAt),
    iso(g.sentAt),
    iso(g.acknowledgedAt),
    g.method,
    g.referenceLast4,
    g.proofSha256,
    g.transferId,
    g.reversalTransferId,
  ];
}
