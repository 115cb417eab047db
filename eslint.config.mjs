// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Modules import only toward the root (architecture.md, "The shape"):
// identity ← organisations ← briefs ← bids ← contracts ← deliverables, finance. audit is the
// shared audit writer every feature may call; notifications imports no feature module (it reads
// outbox events). shared/ and config/ import no module.
const MODULE_IMPORTS = {
  identity: ['audit'],
  organisations: ['identity', 'audit'],
  briefs: ['organisations', 'identity', 'audit'],
  bids: ['briefs', 'organisations', 'identity', 'audit'],
  contracts: ['bids', 'briefs', 'organisations', 'identity', 'audit'],
  deliverables: ['contracts', 'bids', 'briefs', 'organisations', 'identity', 'audit'],
  finance: ['contracts', 'bids', 'briefs', 'organisations', 'identity', 'audit'],
  ideas: ['briefs', 'organisations', 'identity', 'audit'],
  transparency: [
    'ideas',
    'finance',
    'deliverables',
    'contracts',
    'bids',
    'briefs',
    'organisations',
    'identity',
    'audit',
  ],
  notifications: [],
  audit: [],
  ops: ['identity'],
  health: [],
};
const MODULES = Object.keys(MODULE_IMPORTS);
const forbidden = (allowed) =>
  MODULES.filter((m) => !allowed.includes(m)).flatMap((m) => [
    `**/modules/${m}/**`,
    `../${m}/**`,
    `../../${m}/**`,
  ]);
const importDirection = [
  ...Object.entries(MODULE_IMPORTS).map(([module, allowed]) => ({
    files: [`src/modules/${module}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbidden([...allowed, module]),
              message: `${module} may import only ${allowed.join(', ') || 'no feature module'} (imports go toward the root)`,
            },
          ],
        },
      ],
    },
  })),
  // A read model (named so) reads other modules' tables; it may take their status fragments
  // (`<thing>-status.ts`: the lifecycle and its SQL spellings), so each rule is spelled once.
  ...Object.entries(MODULE_IMPORTS).map(([module, allowed]) => ({
    files: [`src/modules/${module}/**/*.read-model.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...forbidden([...allowed, module]), '!../*/*-status', '!../../*/*-status'],
              message: `a read model of ${module} may import only ${allowed.join(', ') || 'no feature module'} and status fragments`,
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/shared/**/*.ts', 'src/config/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/**'],
              message: 'shared/ and config/ hold no business rules: no module imports',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  // src/openapi-metadata.ts is generated (npm run openapi:metadata) and checked byte for byte
  // against the generator by test/e2e/openapi.e2e-spec.ts; its style is the Nest printer's.
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'var/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      'src/openapi-metadata.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...importDirection,
  {
    // Tests read loosely typed HTTP bodies (supertest's `any`) on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
