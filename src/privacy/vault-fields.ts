/** The personal data a vault row holds for one recipient (docs/design.md "Privacy"). */
export const VAULT_FIELDS = ['contact', 'payoutHandle', 'note'] as const;
export type VaultField = (typeof VAULT_FIELDS)[number];

/** Plaintext vault contents. Never logged, never put in an error, never stored outside the vault (invariant 9). */
export type VaultFields = Record<VaultField, string | null>;
