import { ApiProperty } from '@nestjs/swagger';
import type { UserProfile } from '../user-profile.js';

export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '6f1d3c8e-8a47-4a5e-9f6b-2f0d6c1e9b21' })
  id: string;

  /** @example "ann@example.org" */
  email: string;

  createdAt: Date;
}

export function toUserResponse(user: UserProfile): UserResponse {
  return { id: user.id, email: user.email, createdAt: user.createdAt };
}
