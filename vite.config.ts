/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
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
  plugins: [react(), tailwindcss(), precompress()],
  resolve: { alias },
  server: { port: 5173 },
  build: { sourcemap: true, manifest: true },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['{src,contract,backend,mocks,scripts,server}/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // Component tests run the console as the demo does: the backend behind MSW, the account switcher on.
    env: { VITE_DEMO: 'true' },
    testTimeout: 15000,
  },
});
