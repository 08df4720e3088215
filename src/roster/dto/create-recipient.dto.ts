import { RecipientAlias, VaultText } from './recipient-validators.js';

export class CreateRecipientDto {
  /** What the circle's organizers and treasurers see: a nickname, never a full name. @example "Neighbour 7" */
  @RecipientAlias()
  alias: string;

  /** How organizers reach the person (phone, email…). Stored only in the encrypted vault. @example "+1 555 0100" */
  @VaultText(200)
  contact?: string | null;

  /** Where payouts go, e.g. a $cashtag. Stored only in the encrypted vault. @example "$neighbour7" */
  @VaultText(100)
  payoutHandle?: string | null;

  /** Anything else organizers need to remember. Stored only in the encrypted vault. */
  @VaultText(1000)
  note?: string | null;
}
