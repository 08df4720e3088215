// ESLint over the code and its tests; `npm test` runs it with zero warnings allowed
// (docs/architecture.md "Conventions"). Rules need no type information, so it stays quick.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.arvut/**', 'coverage/**', 'docs/**', 'src/client/api-types.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The pages' script runs in the browser (src/web/assets/, docs/pages.md).
    files: ['src/web/assets/**/*.js'],
    languageOptions: { globals: { document: 'readonly', fetch: 'readonly', crypto: 'readonly', atob: 'readonly', TextEncoder: 'readonly', Intl: 'readonly' } },
  },
);
