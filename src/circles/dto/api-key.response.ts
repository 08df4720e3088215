import { ApiProperty } from '@nestjs/swagger';
import type { ApiKey } from '../api-key.entity.js';

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;

  @ApiProperty({ enum: ['treasurer', 'donor', 'member'] })
  role: string;

  /** The key's first 12 characters, to recognize it. */
  prefix: string;

  createdAt: string;

  lastUsedAt: string | null;

  /** Set once revoked: the key stopped working at that moment. */
  revokedAt: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  /** The key, shown only here. Send it as `Authorization: Bearer <key>`. */
  key: string;
}

export class ApiKeyPageResponse {
  items: ApiKeyResponse[];
  nextCursor: string | null;
}

export function toApiKeyResponse(k: ApiKey): ApiKeyResponse {
  return { id: k.id, name: k.name, role: k.role, prefix: k.prefix, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null };
}
