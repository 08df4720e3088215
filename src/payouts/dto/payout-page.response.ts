import { ListedPayoutResponse } from './listed-payout.response.js';

export class PayoutPageResponse {
  items: ListedPayoutResponse[];
  nextCursor: string | null;
}
