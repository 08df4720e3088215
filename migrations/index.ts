// Every migration in the order it runs. TypeORM sorts by the timestamp in the class name.
import type { MigrationInterface } from 'typeorm';
import { AuthAndRateLimits1790000000100 } from './1790000000100-AuthAndRateLimits.js';
import { Circles1790000000200 } from './1790000000200-Circles.js';
import { Ledger1790000000310 } from './1790000000310-Ledger.js';
import { LedgerGuards1790000000320 } from './1790000000320-LedgerGuards.js';
import { LedgerPosting1790000000330 } from './1790000000330-LedgerPosting.js';
import { IdempotencyPurge1790000000340 } from './1790000000340-IdempotencyPurge.js';
import { Roster1790000000400 } from './1790000000400-Roster.js';
import { CyclesPayouts1790000000500 } from './1790000000500-CyclesPayouts.js';
import { PledgesPayments1790000000600 } from './1790000000600-PledgesPayments.js';
import { Receipts1790000000800 } from './1790000000800-Receipts.js';
import { ReceiptCheckpoints1790000000810 } from './1790000000810-ReceiptCheckpoints.js';
import { MovesOnlyWithRecords1790000001200 } from './1790000001200-MovesOnlyWithRecords.js';
import { AmountLimits1790000001250 } from './1790000001250-AmountLimits.js';
import { Events1790000001300 } from './1790000001300-Events.js';
import { Webhooks1790000001310 } from './1790000001310-Webhooks.js';
import { ApiKeys1790000001320 } from './1790000001320-ApiKeys.js';
import { Requests1790000001400 } from './1790000001400-Requests.js';
import { RequestAttachments1790000001410 } from './1790000001410-RequestAttachments.js';
import { GrantReservations1790000001420 } from './1790000001420-GrantReservations.js';
import { RequestExpiry1790000001430 } from './1790000001430-RequestExpiry.js';
import { Trust1790000001500 } from './1790000001500-Trust.js';
import { OneActorShape1790000001700 } from './1790000001700-OneActorShape.js';
import { PayoutNotArrived1790000001710 } from './1790000001710-PayoutNotArrived.js';
import { PostingInOneWrite1790000001800 } from './1790000001800-PostingInOneWrite.js';
import { SingleWrite1790000001900 } from './1790000001900-SingleWrite.js';

export const MIGRATIONS: (new () => MigrationInterface)[] = [AuthAndRateLimits1790000000100, Circles1790000000200, Ledger1790000000310, LedgerGuards1790000000320, LedgerPosting1790000000330, IdempotencyPurge1790000000340, Roster1790000000400, CyclesPayouts1790000000500, PledgesPayments1790000000600, Receipts1790000000800, ReceiptCheckpoints1790000000810, MovesOnlyWithRecords1790000001200, AmountLimits1790000001250, Events1790000001300, Webhooks1790000001310, ApiKeys1790000001320, Requests1790000001400, RequestAttachments1790000001410, GrantReservations1790000001420, RequestExpiry1790000001430, Trust1790000001500, OneActorShape1790000001700, PayoutNotArrived1790000001710, PostingInOneWrite1790000001800, SingleWrite1790000001900];
