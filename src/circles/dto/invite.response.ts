import { ApiProperty } from '@nestjs/swagger';
import type { CircleRole } from '../circle-role.js';
import type { Invite } from '../invite.entity.js';

// Listed, not left to the plugin: the order it reads a union's members in is the compiler's,
// and changes with what else the program holds.
export const INVITE_STATUSES = ['pending', 'used', 'expired', 'revoked'] as const;

export class InviteResponse {
  id: string;
  circleId: string;
  role: CircleRole;
  expiresAt: string;
  createdAt: string;
  /** `pending`, `used`, `expired` or `revoked`. */
  @ApiProperty({ enum: INVITE_STATUSES })
  status: (typeof INVITE_STATUSES)[number];
}

export class CreatedInviteResponse extends InviteResponse {
  /** Single-use secret, shown only in this response. Share it privately with the invitee. */
  token: string;
  /** Path the invitee POSTs to (with their own access token) to join. */
  acceptPath: string;
}

export class InvitePageResponse {
  items: InviteResponse[];
  nextCursor: string | null;
}

export function inviteStatus(invite: Invite, now = new Date()): InviteResponse['status'] {
  if (invite.revokedAt) return 'revoked';
  if (invite.usedAt) return 'used';
  return invite.expiresAt <= now ? 'expired' : 'pending';
}

export function toInviteResponse(invite: Invite): InviteResponse {
  return {
    id: invite.id,
    circleId: invite.circleId,
    role: invite.role,
    expiresAt: invite.expiresAt.toISOString(),
    createdAt: invite.createdAt.toISOString(),
    status: inviteStatus(invite),
  };
}
