import { VaultText } from './recipient-validators.js';

/** The full set of vault fields: anything left out is cleared. */
export class ReplaceRecipientPrivateDto {
  /** @example "+1 555 0100" */
  @VaultText(200)
  contact?: string | null;

  /** @example "$neighbour7" */
  @VaultText(100)
  payoutHandle?: string | null;

  @VaultText(1000)
  note?: string | null;
}
