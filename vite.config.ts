/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { demoOpenApiDocument } from './scripts/vite-openapi';
import { precompress } from './scripts/vite-precompress';

const alias = {
  '@': fileURLToPath(new URL('./src', import.meta.url)),
  '@contract': fileURLToPath(new URL('./contract', import.meta.url)),
};

/**
 * Modes: `demo` (npm start, the default) runs the backend in the browser behind Mock Service Worker;
 * `production` (npm run build) talks to a real backend at VITE_API_BASE_URL (default: same origin).
 */
export default defineConfig({
  plugins: [react(), tailwindcss(), precompress(), demoOpenApiDocument()],
  resolve: { alias },
  server: { port: 5173 },
  build: { sourcemap: true, manifest: true },
  test: {
    restoreMocks: true,
    testTimeout: 15000,
    // Two files at a time (Vitest's default is one less than the cores: one, on the 2-core machine the
    // suite is measured on). Many node tests wait on PostgreSQL, child processes or a clock, so a
    // second worker uses time the first leaves idle: 298 s → 231 s for the whole run there.
    maxWorkers: 2,
    // Two projects: only the console's tests pay for jsdom and the MSW setup.
    projects: [
      {
        extends: true,
        test: {
          name: 'console',
          environment: 'jsdom',
          setupFiles: ['./src/test/setup.ts'],
          include: ['src/**/*.test.{ts,tsx}'],
          // Component tests run the console as the demo does: the backend behind MSW, the account switcher on.
          env: { VITE_DEMO: 'true' },
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['{contract,backend,mocks,scripts,server}/**/*.test.ts'],
          // A throwaway PostgreSQL for the run: the store contract and the server's tests run on it too.
          globalSetup: ['./server/test/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
