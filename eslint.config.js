// ESLint flat config: type-aware rules from typescript-eslint over every package.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'packages/console/dist-*/**',
      '**/node_modules/**',
      'data/**',
      'test-output/**',
      'bench/out/**',
      'packages/console/src/api/schema.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.tests.json', './packages/*/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../*/src/*', '**/dist/*'],
              message: 'Import a package by its name, never its files.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/codes/src/**', 'packages/core/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@tracemark/db', '@tracemark/server', '@tracemark/cli'],
              message: 'codes and core are pure: no Node I/O, no outer layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/db/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tracemark/server', '@tracemark/cli'],
              message: 'Arrows point one way: codes ← core ← db ← server ← cli.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tracemark/cli'], message: 'Arrows point one way: codes ← core ← db ← server ← cli.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests name the body type they expect, e.g. json<Product>(res).
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
