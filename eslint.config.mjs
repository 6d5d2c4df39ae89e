// @ts-check
// The lint keeps the design in ARCHITECTURE.md: a pure core (plan/, report/, catalog/) that
// cannot reach the disk, the network, the process or the terminal; printing only in cli/;
// functions short enough to hold in mind; no import cycles; type-aware checks for promises and
// unsafe values.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Modules the pure core may not import: I/O, processes, and the effectful layers above it. */
const impureModules = [
  'fs',
  'fs/promises',
  'node:fs',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'http2',
  'node:http2',
  'child_process',
  'node:child_process',
  'dgram',
  'node:dgram',
  'worker_threads',
  'node:worker_threads',
  'process',
  'node:process',
];

const impureFolders = [
  '**/emulator/**',
  '**/sync/**',
  '**/cli/**',
  '**/config/**',
  '!**/config/types.js',
  '!**/config/output-names.js',
  '**/dashscope/**',
  '!**/dashscope/types.js',
  '**/util/atomic-write.js',
  '**/run.js',
  '**/connect.js',
  // The library API (src/index.ts), not a folder's own index.
  '../index.js',
  '../../index.js',
];

const pureCoreMessage =
  'plan/, report/ and catalog/ are pure: no disk, network, process or effectful layer (see ARCHITECTURE.md).';

/** Globals the pure core may not touch. */
const impureGlobals = ['fetch', 'process', 'console', 'setTimeout', 'setInterval', 'setImmediate'].map((name) => ({
  name,
  message: pureCoreMessage,
}));


export default defineConfig(
  globalIgnores([
    'dist/**',
    'action/dist/**',
    'coverage/**',
    'reports/**',
    '.stryker-tmp/**',
    'node_modules/**',
    'examples/**/node_modules/**',
    'src/config/schema-validators.generated.ts',
  ]),
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.lint.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The validators look for control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Test doubles implement async interfaces without awaiting anything.
    files: ['test/**/*.ts'],
    // vitest's asymmetric matchers (expect.any, expect.stringContaining...) are typed `any`.
    // Modules loaded with import() or createRequire are destructured into plain functions.
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Walks CI recipes parsed from YAML as loose JSON. To shrink: give the recipes a type.
    files: ['test/recipes/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'no-console': 'error',
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // cli/ is the one place that prints.
    files: ['src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/plan/**/*.ts', 'src/report/**/*.ts', 'src/catalog/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impureModules.map((name) => ({ name, message: pureCoreMessage })),
          patterns: [{ group: impureFolders, message: pureCoreMessage }],
        },
      ],
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': [
        'error',
        ...['fetch', 'process', 'console'].map((property) => ({
          object: 'globalThis',
          property,
          message: pureCoreMessage,
        })),
      ],
    },
  },
);
