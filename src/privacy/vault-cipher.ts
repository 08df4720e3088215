import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error.js';
import type { VaultField } from './vault-fields.js';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HEADER = 1 + IV_BYTES + TAG_BYTES;

/**
 * AES-256-GCM sealing for the vault. Each field is sealed under the recipient's data key
 * with the recipient id and field name as associated data, so a sealed value moved to
 * another row or another column no longer opens; the data key is sealed the same way under
 * the master key, bound to the recipient id. Pure: no I/O, no logging (invariant 9).
 */
export class VaultCipher {
  /** Identifies the master key in stored rows without revealing it. */
  readonly keyId: string;

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== KEY_BYTES) throw new Error('The vault master key must be 32 bytes');
    this.keyId = createHmac('sha256', masterKey).update('arvut vault master key id').digest('hex').slice(0, 32);
  }

  newDataKey(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  wrapKey(dataKey: Buffer, recipientId: string): Buffer {
    if (dataKey.length !== KEY_BYTES) throw new Error('A vault data key must be 32 bytes');
    return seal(this.masterKey, keyAad(recipientId), dataKey);
  }

  unwrapKey(wrapped: Buffer, recipientId: string): Buffer {
    const key = open(this.masterKey, keyAad(recipientId), wrapped);
    if (key.length !== KEY_BYTES) throw integrityError();
    return key;
  }

  sealField(dataKey: Buffer, recipientId: string, field: VaultField, plaintext: string): Buffer {
    return seal(dataKey, fieldAad(recipientId, field), Buffer.from(plaintext, 'utf8'));
  }

  openField(dataKey: Buffer, recipientId: string, field: VaultField, sealed: Buffer): string {
    return open(dataKey, fieldAad(recipientId, field), sealed).toString('utf8');
  }

  /** An attached file, under its own key, bound to its subject and its own id. */
  sealFile(fileKey: Buffer, subjectId: string, attachmentId: string, content: Buffer): Buffer {
    return seal(fileKey, fileAad(subjectId, attachmentId), content);
  }

  openFile(fileKey: Buffer, subjectId: string, attachmentId: string, sealed: Buffer): Buffer {
    return open(fileKey, fileAad(subjectId, attachmentId), sealed);
  }

  /**
   * A server-held secret (a webhook signing secret) sealed directly under the master key,
   * bound to what it belongs to (`purpose` and `ownerId`), so it opens nowhere else.
   */
  sealSecret(purpose: string, ownerId: string, secret: string): Buffer {
    return seal(this.masterKey, secretAad(purpose, ownerId), Buffer.from(secret, 'utf8'));
  }

  openSecret(purpose: string, ownerId: string, sealed: Buffer): string {
    return open(this.masterKey, secretAad(purpose, ownerId), sealed).toString('utf8');
  }
}

const secretAad = (purpose: string, ownerId: string): Buffer => Buffer.from(`arvut/secret/v${FORMAT}\0${purpose}\0${ownerId}`, 'utf8');

const keyAad = (recipientId: string): Buffer => Buffer.from(`arvut/vault-key/v${FORMAT}\0${recipientId}`, 'utf8');
const fileAad = (subjectId: string, attachmentId: string): Buffer => Buffer.from(`arvut/vault-file/v${FORMAT}\0${subjectId}\0${attachmentId}`, 'utf8');
const fieldAad = (recipientId: string, field: VaultField): Buffer => Buffer.from(`arvut/vault-field/v${FORMAT}\0${recipientId}\0${field}`, 'utf8');

function seal(key: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, aad: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < HEADER || sealed[0] !== FORMAT) throw integrityError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER));
    return Buffer.concat([decipher.update(sealed.subarray(HEADER)), decipher.final()]);
  } catch {
    throw integrityError();
  }
}

// Fixed text: the failure says nothing about the stored value (invariant 9).
const integrityError = (): DomainError => new DomainError('internal-error', 'Stored private data failed its integrity check and cannot be read.');
