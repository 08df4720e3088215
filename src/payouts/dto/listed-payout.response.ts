import { PayoutResponse } from './payout.response.js';

/** A payout as treasurers and organizers list it: with the alias of whom they are paying. */
export class ListedPayoutResponse extends PayoutResponse {
  /** The recipient's roster alias (a neutral code once their data was erased). Never a vault field: contact and payout handle stay in the vault. */
  recipientAlias: string;
}
