import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { VaultCipher } from '../../privacy/vault-cipher.js';

const PURPOSE = 'webhook-endpoint';

/** How long the secret replaced by a rotation keeps signing: receivers switch within this time. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * Webhook signing secrets: Standard Webhooks format (`whsec_` + base64 of 24 random bytes),
 * sealed under the master key and bound to their endpoint's id.
 */
@Injectable()
export class WebhookSecrets {
  private readonly cipher: VaultCipher;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cipher = new VaultCipher(config.masterKey);
  }

  generate(): string {
    return `whsec_${randomBytes(24).toString('base64')}`;
  }

  seal(endpointId: string, secret: string): Buffer {
    return this.cipher.sealSecret(PURPOSE, endpointId, secret);
  }

  open(endpointId: string, sealed: Buffer): string {
    return this.cipher.openSecret(PURPOSE, endpointId, sealed);
  }

  /**
   * The `webhook-signature` header: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` under each
   * secret given, space-separated (during a rotation's overlap, the new one and the old one).
   */
  signature(secrets: string[], id: string, at: Date, body: string): string {
    return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
  }
}
