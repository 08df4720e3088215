import { Module } from '@nestjs/common';
import { CirclesModule } from '../../circles/circles.module.js';
import { EventsModule } from '../../events/events.module.js';
import { LedgerModule } from '../../ledger/ledger.module.js';
import { CheckpointsService } from './checkpoints.service.js';
import { SigningKeyService } from './signing-key.service.js';

/**
 * The signing half of the transparency module, on its own so the jobs module can run the
 * hourly checkpoint without importing the read side.
 */
@Module({
  imports: [CirclesModule, EventsModule, LedgerModule],
  providers: [CheckpointsService, SigningKeyService],
  exports: [CheckpointsService, SigningKeyService],
})
export class ReceiptCheckpointsModule {}
