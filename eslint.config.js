// Lint: TypeScript rules plus the process boundaries of docs/architecture.md, enforced per folder.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'crypto',
  'stream',
  'url',
  'worker_threads',
  'events',
  'net',
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'models/**',
      'tests/.fixtures/**',
      'bench/.data/**',
      'test-results/**',
      '.scratch*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Plain Node core: no Electron, DOM, React or renderer code.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'react', 'react-dom', 'react/*', 'maplibre-gl', 'terra-draw*'],
              message: 'src/core is plain Node: no Electron, DOM or React.',
            },
            {
              group: ['**/renderer/**', '**/main/**', '**/preload/**', '**/server/**', '**/cli/**'],
              message: 'src/core must not depend on a host.',
            },
          ],
        },
      ],
    },
  },
  {
    // Shared code runs in every process, the browser included.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', 'react', 'onnxruntime-node'],
              message: 'src/shared must run in Node and the browser alike.',
            },
            {
              group: ['**/core/**', '**/renderer/**', '**/engine/**', '**/server/**', '**/main/**'],
              message: 'src/shared depends on nothing else.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer never touches Node: everything goes through the contract client.
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', 'onnxruntime-node', 'geotiff', 'sharp', 'zarrita'],
              message: 'The renderer never imports Node or engine code; use the contract client.',
            },
            {
              group: [
                '**/core/**',
                '**/engine/**',
                '**/server/**',
                '**/main/**',
                '**/preload/**',
                '**/cli/**',
              ],
              message: 'The renderer reaches the core only through src/shared/contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the Electron main and preload may speak IPC, and only through the contract's channel names.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/**', 'src/preload/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/^(ipcRenderer|ipcMain)$/]',
          message: 'Raw IPC only in src/main and src/preload, built from the contract.',
        },
      ],
    },
  },
);
