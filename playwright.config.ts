import { defineConfig, devices } from '@playwright/test';
import { BALANCER, BALANCER_PROXY_ADDRESS, CLUSTER_PORTS, NODE_A, NODE_B } from './e2e/support/cluster';
import { E2E_ACCOUNTS_ENV } from './e2e/support/data';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './scripts/chromium';

// Overridable so that two checkouts on one machine can run their e2e at the same time.
const DEMO_PORT = Number(process.env.E2E_DEMO_PORT ?? 4173);
const SERVER_PORT = Number(process.env.E2E_SERVER_PORT ?? 4180);
const POSTGRES_SERVER_PORT = Number(process.env.E2E_POSTGRES_SERVER_PORT ?? SERVER_PORT + 1);

export default defineConfig({
  testDir: './e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] },
  },
  projects: [
    // The demo build (npm run build:demo): the backend runs in the page behind Mock Service Worker.
    {
      name: 'demo',
      testIgnore: /e2e\/(server|cluster)\//,
      use: { baseURL: `http://localhost:${DEMO_PORT}` },
    },
    // The production build served by the real Node server with SQLite (npm run build first).
    {
      name: 'server',
      testMatch: /server\/.*\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${SERVER_PORT}` },
    },
    // The same server on PostgreSQL (a throwaway cluster): the main flows of a real installation.
    {
      name: 'server-postgres',
      testMatch: /server\/real-server\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${POSTGRES_SERVER_PORT}` },
    },
    // Two nodes on one PostgreSQL (npm run cluster): the console on node A, REST clients on node B,
    // and nginx in front of both.
    { name: 'cluster', testMatch: /e2e\/cluster\/.*\.spec\.ts/, use: { baseURL: NODE_A } },
  ],
  webServer: [
    {
      command: `npx vite preview --mode demo --outDir dist-demo --port ${DEMO_PORT} --strictPort`,
      url: `http://localhost:${DEMO_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `node -e "require('fs').rmSync('test-results/server-data',{recursive:true,force:true})" && node --import tsx server/main.ts --port ${SERVER_PORT} --db test-results/server-data/console.db --log test-results/server-data/console.log`,
      url: `http://127.0.0.1:${SERVER_PORT}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: E2E_ACCOUNTS_ENV,
    },
    {
      command: `node -e "require('fs').rmSync('test-results/server-postgres-data',{recursive:true,force:true})" && node --import tsx scripts/serve-on-throwaway-postgres.ts --port ${POSTGRES_SERVER_PORT} --log test-results/server-postgres-data/console.log`,
      url: `http://127.0.0.1:${POSTGRES_SERVER_PORT}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: E2E_ACCOUNTS_ENV,
      // Stopped by a signal, so that the cluster is stopped and its files deleted.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
    {
      command: `node --import tsx scripts/cluster.ts --ports ${CLUSTER_PORTS.join(',')} --data test-results/cluster-data --trusted-proxy ${BALANCER_PROXY_ADDRESS}`,
      url: `${NODE_B}/health`,
      reuseExistingServer: false,
      timeout: 90_000,
      env: E2E_ACCOUNTS_ENV,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
    {
      command: 'node --import tsx e2e/support/balancer.ts',
      url: `${BALANCER}/health`,
      reuseExistingServer: false,
      timeout: 90_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
  ],
});
