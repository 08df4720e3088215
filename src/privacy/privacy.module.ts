import { Module } from '@nestjs/common';
import { CirclesModule } from '../circles/circles.module.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DuplicateDigester } from './duplicate-digester.js';
import { PrivacyService } from './privacy.service.js';
import { VaultCipher } from './vault-cipher.js';

/** The vault, per-recipient keys, retention and erasure. Nothing personal lives outside it. */
@Module({
  imports: [CirclesModule],
  providers: [
    PrivacyService,
    { provide: VaultCipher, useFactory: (config: AppConfig) => new VaultCipher(config.masterKey), inject: [APP_CONFIG] },
    { provide: DuplicateDigester, useFactory: (config: AppConfig) => new DuplicateDigester(config.duplicateKey), inject: [APP_CONFIG] },
  ],
  exports: [PrivacyService, DuplicateDigester],
})
export class PrivacyModule {}
