export const CIRCLE_ROLES = ['organizer', 'treasurer', 'donor', 'member'] as const;
export type CircleRole = (typeof CIRCLE_ROLES)[number];

/** docs/design.md "Words": organizer > treasurer > donor > member for read access. */
export const ROLE_RANK: Record<CircleRole, number> = { organizer: 4, treasurer: 3, donor: 2, member: 1 };

export function roleAtLeast(role: CircleRole, min: CircleRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}
