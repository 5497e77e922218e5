/**
 * Lighthouse performance and accessibility of every page of the production console, served by the
 * real server (SQLite seeded with the demo data set: 320 tokens, 100,000 audit records), in the system
 * Chromium. Not part of `npm test`. Run `npm run build` first; writes docs/bench-lighthouse.md.
 *
 * Goal: performance ≥ 0.95 and accessibility 1.00 on every page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Config } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { generateDemoData } from '../mocks/seed/generate';
import { createServerApp } from '../server/app';
import { hashPassword } from '../server/passwords';
import { SqliteStore } from '../server/store/sqlite-store';
import { machineDescription } from './browser';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium';

const PAGES = [
  '/sign-in',
  '/overview',
  '/settings/authentication',
  '/settings/audit-logging',
  '/tokens/mine',
  '/tokens/manage',
  '/audit',
  '/logging/levels',
  '/logging/entries',
];
const PASSWORD = 'lighthouse-password';

const dir = mkdtempSync(join(os.tmpdir(), 'atc-lighthouse-'));
const store = SqliteStore.open(join(dir, 'console.db'), { nodes: ['node-1'] });
console.log('Seeding 100,000 audit records…');
await store.seed(generateDemoData({ now: new Date() }));
await store.setPassword('admin', hashPassword(PASSWORD));
const { app } = createServerApp({
  store,
  staticDir: 'dist',
  logFile: join(dir, 'console.log'),
  nodeId: 'node-1',
  trustedProxies: [],
  echoLog: () => undefined,
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const signIn = await fetch(`${base}/rest/api-token-auth/1.0/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: PASSWORD }),
});
const cookie = signIn.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');

const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM_PATH,
  chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS],
});
interface Row {
  page: string;
  performance: number;
  accessibility: number;
  lcp: number;
  tbt: number;
  mobilePerformance: number;
  mobileLcp: number;
}
const rows: Row[] = [];

/** One Lighthouse run of a page: Lighthouse's desktop preset, or (without a config) its default, mobile. */
async function audit(page: string, config: Config | undefined) {
  const result = await lighthouse(
    `${base}${page}`,
    {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      extraHeaders: page === '/sign-in' ? {} : { Cookie: cookie },
    },
    config,
  );
  return result!.lhr;
}

try {
  for (const page of PAGES) {
    const lhr = await audit(page, desktopConfig);
    const mobile = await audit(page, undefined);
    const row: Row = {
      page,
      performance: lhr.categories.performance?.score ?? 0,
      accessibility: lhr.categories.accessibility?.score ?? 0,
      lcp: lhr.audits['largest-contentful-paint']?.numericValue ?? 0,
      tbt: lhr.audits['total-blocking-time']?.numericValue ?? 0,
      mobilePerformance: mobile.categories.performance?.score ?? 0,
      mobileLcp: mobile.audits['largest-contentful-paint']?.numericValue ?? 0,
    };
    rows.push(row);
    const failing = Object.values(lhr.audits)
      .filter(
        (a) =>
          a.scoreDisplayMode === 'binary' &&
          a.score === 0 &&
          lhr.categories.accessibility?.auditRefs.some((r) => r.id === a.id),
      )
      .map((a) => a.id);
    console.log(
      `${page}: performance ${row.performance} (mobile ${row.mobilePerformance}), accessibility ${row.accessibility}${failing.length ? ` (failing: ${failing.join(', ')})` : ''}`,
    );
  }
} finally {
  chrome.kill();
  server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

const met = rows.every((r) => r.performance >= 0.95 && r.accessibility >= 1);
const report = `# Lighthouse

Measured ${new Date().toISOString().slice(0, 10)} on ${machineDescription()}, ${os.cpus().length} cores
(${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; Lighthouse 12 in the system
Chromium. The production console served by the real server (\`npm run build\`, then
\`npm run bench:lighthouse\`), its SQLite seeded with the demo data set (320 tokens, 100,000 audit
records), signed in as the administrator.

The goal is judged with Lighthouse's **desktop preset** (\`lighthouse/core/config/desktop-config.js\`:
simulated dense 4G, 40 ms RTT, 10 Mbit/s, no CPU slowdown, a 1350 × 940 screen), the devices an
administration console is used on. The last two columns are Lighthouse's default **mobile** preset
(simulated slow 4G, 150 ms RTT, 1.6 Mbit/s, CPU slowed down 4 ×, a phone screen), for reference.

| Page | Performance | Accessibility | LCP | TBT | Mobile performance | Mobile LCP |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.page} | ${r.performance.toFixed(2)} | ${r.accessibility.toFixed(2)} | ${Math.round(r.lcp)} ms | ${Math.round(r.tbt)} ms | ${r.mobilePerformance.toFixed(2)} | ${Math.round(r.mobileLcp)} ms |`).join('\n')}

Goal: performance at least 0.95 and accessibility 1.00 on every page (desktop preset) — **${met ? 'met' : 'not met'}**.

The demo's time to the first usable screen with 100,000 seeded audit records is in
[bench-demo-startup.md](bench-demo-startup.md).
`;
writeFileSync('docs/bench-lighthouse.md', report);
console.log(`\n${report}`);
