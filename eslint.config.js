// ESLint: typescript-eslint strict-type-checked everywhere, plus Ward's dependency rule written as
// import bans (TypeScript project references enforce the same edges at build time).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DRIVERS = ['pg', 'better-sqlite3', 'kysely', 'nats'];
const banned = (names, message) => names.map((name) => ({ name, message }));
const bannedPatterns = (group, message) => [{ group, message }];
const SQL_ONLY_IN_STORE = 'Only @ward/store speaks SQL; go through the Store interface.';
/** A layer's import rule: no SQL driver, and none of `patterns` (what sits above it). */
const layer = (files, patterns, ignores = ['**/*.test.ts']) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': ['error', { paths: banned(DRIVERS, SQL_ONLY_IN_STORE), patterns }],
  },
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'ward-data/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: false }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Re-export by name (no export *).' },
      ],
    },
  },
  {
    // core is pure: no Node API, no driver, nothing of ours.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(DRIVERS, 'core is pure: no I/O.'),
          patterns: [
            ...bannedPatterns(
              ['node:*', 'fs', 'net', 'path', 'os', 'child_process'],
              'core is pure: no Node-only API.',
            ),
            ...bannedPatterns(['@ward/*'], 'core depends on nothing of ours.'),
          ],
        },
      ],
    },
  },
  {
    // ledger is pure tree, proof and note logic: hashing and signatures (node:crypto), no I/O.
    files: ['packages/ledger/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(DRIVERS, 'ledger is pure: storage goes through @ward/store.'),
          patterns: [
            ...bannedPatterns(
              ['node:*', '!node:crypto', '!node:buffer', 'fs', 'net', 'path', 'os', 'child_process'],
              'ledger is pure: node:crypto only, no I/O.',
            ),
            ...bannedPatterns(['@ward/*', '!@ward/core'], 'ledger depends on core only.'),
          ],
        },
      ],
    },
  },
  {
    // store speaks SQL; it knows core only.
    files: ['packages/store/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: bannedPatterns(['@ward/server', '@ward/cli', '@ward/web'], 'store depends on core only.') },
      ],
    },
  },
  {
    // wire is pure decoding: bytes in, typed events out. No Node API, nothing of ours.
    files: ['packages/wire/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-helpers.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Bare module names as exact paths: as patterns they would also ban wire's own `net/` folder.
          paths: [
            ...banned(DRIVERS, 'wire is pure: no I/O.'),
            ...banned(['fs', 'net', 'path', 'os', 'child_process'], 'wire is pure: no Node-only API.'),
          ],
          patterns: [
            ...bannedPatterns(['node:*'], 'wire is pure: no Node-only API.'),
            ...bannedPatterns(['@ward/*'], 'wire depends on nothing of ours.'),
          ],
        },
      ],
    },
  },
  {
    // intel parses and matches; it knows core only and never speaks SQL.
    files: ['packages/intel/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(DRIVERS, 'intel never speaks SQL: persistence goes through @ward/store.'),
          patterns: bannedPatterns(['@ward/*', '!@ward/core'], 'intel depends on core only.'),
        },
      ],
    },
  },
  // sensor and inventory sit on core and store (sensor also on wire); never on services and above.
  layer(
    ['packages/sensor/src/**/*.ts', 'packages/inventory/src/**/*.ts', 'lab/src/**/*.ts'],
    bannedPatterns(
      ['@ward/services', '@ward/server', '@ward/cli', '@ward/web'],
      'Libraries never reach up to services, server, cli or web.',
    ),
  ),
  // services sit on the libraries, below the server and the CLI.
  layer(
    ['packages/services/src/**/*.ts'],
    bannedPatterns(
      ['@ward/server', '@ward/cli', '@ward/web', 'fastify', 'fastify/*', '@fastify/*'],
      'services sit below the server and the CLI: no HTTP framework, nothing above.',
    ),
  ),
  // The server never reaches up to the CLI.
  layer(
    ['packages/server/src/**/*.ts', 'packages/web/src/**/*.ts'],
    bannedPatterns(['@ward/cli'], 'Nothing imports the CLI.'),
  ),
  // The CLI loads the server only for `ward serve`, through import(): no other command pays for
  // Fastify and the web app. The lab, an optional dependency, is reached the same way.
  layer(
    ['packages/cli/src/**/*.ts'],
    [
      ...bannedPatterns(
        ['@ward/server', 'fastify', '@fastify/*'],
        'Only `ward serve` loads the server, with import(); call @ward/services instead.',
      ),
      {
        group: ['@ward/lab'],
        allowTypeImports: true,
        message: 'The lab is optional: load it with import() where a lab command runs.',
      },
    ],
    ['**/*.test.ts', '**/test-helpers.ts'],
  ),
  {
    files: ['packages/web/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: { document: 'readonly', fetch: 'readonly', FormData: 'readonly', window: 'readonly' },
    },
  },
  {
    files: ['*.js', 'test/**/*.js', '.ci/**/*.js', 'bench/**/*.mjs', 'lab/agents/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', performance: 'readonly', Buffer: 'readonly' },
    },
  },
);
