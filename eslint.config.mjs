// Layering is enforced here, not by goodwill: arrows only point down
//   src/vscode -> src/node -> src/core -> src/shared,   webview -> src/shared,
//   src/cli.ts -> src/sdk -> src/node (the SDK is a top layer, beside the extension, without VS Code).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const nodeBuiltinNames = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'events', 'util', 'worker_threads', 'vscode', 'node-pty'];
const pureMessage = 'src/core, src/shared and the webview do no node I/O and never touch vscode: add an interface in src/core and an adapter in src/node or src/vscode.';
const pureLayerImports = ['error', {
  paths: nodeBuiltinNames.map((name) => ({ name, message: pureMessage })),
  patterns: [{ group: ['node:*'], message: pureMessage }],
}];

/** `from` paths that files under `target` must never import. */
const zones = [
  { target: './src/shared', from: ['./src/core', './src/node', './src/vscode', './src/sdk', './src/cli.ts', './webview'], message: 'src/shared imports nothing else.' },
  { target: './src/core', from: ['./src/node', './src/vscode', './src/sdk', './src/cli.ts', './webview'], message: 'src/core is pure: reach node and VS Code through interfaces.' },
  { target: './src/node', from: ['./src/vscode', './src/sdk', './src/cli.ts', './webview'], message: 'src/node must not depend on VS Code glue or on the SDK built over it.' },
  { target: './src/sdk', from: ['./src/vscode', './src/cli.ts', './webview'], message: 'The SDK runs without VS Code: node adapters, core and shared only.' },
  { target: './src/vscode', from: ['./src/cli.ts', './webview'], message: 'The extension host never imports the webview bundle.' },
  { target: './webview', from: ['./src/core', './src/node', './src/vscode', './src/sdk', './src/cli.ts'], message: 'The webview talks to the host only through src/shared protocol types.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'bench/results.json', '**/*.d.ts', 'test/fixtures/apply-patch*/scenarios/**' /* patch inputs and expected outputs: data, not our code */] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'webview/tsconfig.json', 'test/tsconfig.json'], noWarnOnMultipleProjects: true })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Pure layers: no vscode, no native modules, no node I/O.
    files: ['src/shared/**', 'src/core/**'],
    rules: {
      'no-restricted-imports': pureLayerImports,
    },
  },
  {
    files: ['src/node/**', 'src/sdk/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/node must not import vscode.' }] }] },
  },
  {
    files: ['webview/**'],
    rules: { 'no-restricted-imports': pureLayerImports },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'test/**', 'bench/**', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', fetch: 'readonly', performance: 'readonly', window: 'readonly', document: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
