import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'dist-demo', 'public/mockServiceWorker.js', 'test-results', 'playwright-report'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Type-checked rules for the code outside the console (the store port is asynchronous: a promise
    // nobody awaits, or one passed where a callback's result is ignored, loses an error or an answer).
    // With the block above this is recommendedTypeChecked; the "Only" set keeps that block's options.
    files: ['{backend,server,mocks,contract,scripts,e2e}/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An adapter whose work is synchronous (memory, better-sqlite3) implements the async port with
      // async methods that await nothing: that is how its errors become rejections, as the port says.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Vitest's asymmetric matchers (expect.any, expect.objectContaining, …) are typed `any` by design
    // (in tests and the test kits beside them).
    files: ['{backend,server,mocks,contract,scripts}/**/*.test.ts', '{backend,server}/**/*test-kit.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The console's code is linted with type information: floating and misused promises are bugs here.
    files: ['src/**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  // Import boundaries (tests may cross them: the store contract suite runs on the SQLite adapter, component
  // tests render the console against the demo backend).
  ...importBoundaries(),
);

/**
 * Who may import whom: the contract imports nothing of ours; the backend never imports a host (server/,
 * mocks/) or the console; the console sees only the contract of the backend's side; a feature never
 * imports another (what two features share lives in src/components or src/lib, which import no feature).
 */
function importBoundaries() {
  const TESTS = ['**/*.test.{ts,tsx}', 'src/test/**'];
  const zone = (files, patterns) => ({
    files,
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  });
  const CONSOLE = {
    group: ['**/backend/**', '**/mocks/**', '**/server/**'],
    message: 'The console sees only the contract.',
  };
  const features = readdirSync(new URL('./src/features', import.meta.url));
  return [
    zone(
      ['contract/**/*.ts'],
      [{ group: ['../**', '@/**'], message: 'The contract imports nothing of ours.' }],
    ),
    zone(
      ['backend/**/*.ts'],
      [
        {
          group: ['**/server/**', '**/mocks/**', '**/src/**', '@/**'],
          message: 'The backend never imports a host or the console.',
        },
      ],
    ),
    zone(['src/**/*.{ts,tsx}'], [CONSOLE]),
    zone(
      ['src/lib/**', 'src/components/**', 'src/stores/**'],
      [
        CONSOLE,
        { group: ['@/features/**', '@/app/**'], message: 'Shared code imports no feature and not the app.' },
      ],
    ),
    ...features.map((feature) =>
      zone(
        [`src/features/${feature}/**`],
        [
          CONSOLE,
          {
            group: ['@/features/**', `!@/features/${feature}/**`, '../**'],
            message: 'A feature never imports another: move what they share to src/components or src/lib.',
          },
          { group: ['@/app/**'], message: 'Features do not import the app.' },
        ],
      ),
    ),
  ];
}
