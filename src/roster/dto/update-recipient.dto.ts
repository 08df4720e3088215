import { RecipientAlias } from './recipient-validators.js';

export class UpdateRecipientDto {
  /** @example "T." */
  @RecipientAlias()
  alias: string;
}
