import type { CircleRole } from '../circle-role.js';

export class MemberResponse {
  userId: string;
  role: CircleRole;
  joinedAt: string;
  /** Shown to organizers only. */
  email?: string;
}

export class MemberPageResponse {
  items: MemberResponse[];
  nextCursor: string | null;
}
