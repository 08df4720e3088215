import type { CircleRole } from '../circle-role.js';

export class AcceptedInviteResponse {
  circleId: string;
  role: CircleRole;
}
