import { ApiProperty } from '@nestjs/swagger';

export class PublicKeyResponse {
  /** First 16 hex digits of SHA-256 over the key's DER SubjectPublicKeyInfo; checkpoints name it. */
  keyId: string;

  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: 'Ed25519';

  /** The public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----…"). */
  publicKeyPem: string;
}

export function toPublicKeyResponse(key: { keyId: string; publicKeyPem: string }): PublicKeyResponse {
  return { keyId: key.keyId, algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem };
}
