/**
 * Takes screenshots of the demo console's screens (for the README and for looking at what users see),
 * at the widths in WIDTHS (default 1280,1440,375), in both themes.
 * Usage: npm run build:demo && npx tsx scripts/screenshots.ts [outDir] [path ...]
 * Needs the demo build served at http://localhost:4173 (npm run preview:demo).
 */
import { mkdirSync } from 'node:fs';
import { launchChromium } from './browser';

const outDir = process.argv[2] ?? 'test-results/screens';
const paths = process.argv.slice(3);
const base = process.env.BASE_URL ?? 'http://localhost:4173';

mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
const widths = (process.env.WIDTHS ?? '1280,1440,375').split(',').map(Number);
for (const [scheme, width] of (['light', 'dark'] as const).flatMap((s) =>
  widths.map((w) => [s, w] as const),
)) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
  for (const path of paths.length
    ? paths
    : ['/settings/authentication', '/settings/permissions', '/settings/audit-logging']) {
    await page.goto(base + path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForTimeout(300);
    const name = path.replace(/^\//, '').replace(/[/?#=&]/g, '_') || 'home';
    await page.screenshot({ path: `${outDir}/${name}-${width}-${scheme}.png`, fullPage: true });
  }
  await page.close();
}
await browser.close();
