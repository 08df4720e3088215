/** How a contribution arrived: by card through the payment provider, or by hand. */
export const MANUAL_CONTRIBUTION_METHODS = ['cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other'] as const;
export type ManualContributionMethod = (typeof MANUAL_CONTRIBUTION_METHODS)[number];
export type ContributionMethod = ManualContributionMethod | 'card';

/** `pending` waits for a second approver (circle setting requireSecondApproval); only `posted` moved money. */
export const CONTRIBUTION_STATUSES = ['pending', 'posted'] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];
