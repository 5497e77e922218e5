/**
 * Measures the demo's startup: the seed generation alone (Node), and in headless Chromium the time
 * from navigation to the first usable screen (the page heading rendered by the console, after the
 * service worker started and the in-page backend generated its 100,000 audit records).
 *
 * Usage: npm run build:demo && npm run bench:startup   (serves dist-demo itself on port 4174)
 * Writes docs/bench-demo-startup.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { preview } from 'vite';
import { generateDemoData } from '../mocks/seed/generate';
import { launchChromium, machineDescription, percentile } from './browser';

const RUNS = Number(process.env.RUNS ?? 10);

function seedTimes(): number[] {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    generateDemoData({ now: new Date() });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

async function firstScreenTimes(): Promise<number[]> {
  const server = await preview({
    mode: 'demo',
    build: { outDir: 'dist-demo' },
    preview: { port: 4174, strictPort: true },
  });
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // A fresh context each run: a first visit (service worker installed anew, nothing cached).
      const context = await browser.newContext();
      const page = await context.newPage();
      const start = performance.now();
      await page.goto('http://localhost:4174/');
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      times.push(performance.now() - start);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return times.sort((a, b) => a - b);
}

const seed = seedTimes();
const screen = await firstScreenTimes();
const row = (label: string, t: number[]) =>
  `| ${label} | ${percentile(t, 50).toFixed(0)} ms | ${percentile(t, 95).toFixed(0)} ms | ${t.length} |`;
const report = `# Demo startup

Measured ${new Date().toISOString().slice(0, 10)} on ${machineDescription()}, ${os.cpus().length} cores
(${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB.
Command: \`npm run build:demo && npm run bench:startup\`.

| What | p50 | p95 | runs |
| --- | --- | --- | --- |
${row('Seed generation (60 users, 320 tokens, 100,000 audit records), Node', seed)}
${row('First usable screen in headless Chromium (navigation → "Overview" heading), first visit', screen)}

The first screen includes starting the service worker, generating the seed in the page and the first
API calls. Only the changes made in the demo are persisted; the seed is regenerated on every start.
`;
writeFileSync('docs/bench-demo-startup.md', report);
console.log(report);
