import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { signCheckpoint, signingKeyId, type CheckpointStatement } from './checkpoint-message.js';

/**
 * The deployment's Ed25519 key (SIGNING_KEY; generated into the data directory for the
 * embedded default, required in production). Parsed once; the private key never leaves
 * this class.
 */
@Injectable()
export class SigningKeyService {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly publicKeyPem: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.privateKey = createPrivateKey(config.signingKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = signingKeyId(this.publicKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(statement: Omit<CheckpointStatement, 'keyId'>): { keyId: string; signature: string } {
    return { keyId: this.keyId, signature: signCheckpoint(this.privateKey, { ...statement, keyId: this.keyId }) };
  }
}
