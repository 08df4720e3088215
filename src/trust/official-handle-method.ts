import { PAYOUT_METHODS } from '../payouts/payout-status.js';

/** Where a circle can receive money: the payout methods, less cash (which has no handle). */
export const OFFICIAL_HANDLE_METHODS = PAYOUT_METHODS.filter((m) => m !== 'cash') as readonly Exclude<(typeof PAYOUT_METHODS)[number], 'cash'>[];
export type OfficialHandleMethod = (typeof OFFICIAL_HANDLE_METHODS)[number];
