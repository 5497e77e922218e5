/**
 * The README's screenshot: the Audit Logging settings tab of the demo, as the administrator sees it.
 * Usage: npm run build:demo && npx tsx scripts/readme-screenshot.ts
 */
import { preview } from 'vite';
import { launchChromium } from './browser';

const server = await preview({
  mode: 'demo',
  build: { outDir: 'dist-demo' },
  preview: { port: 4175, strictPort: true },
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  await page.goto('http://localhost:4175/settings/audit-logging');
  await page.getByRole('switch', { name: 'Successful Authentication' }).click();
  await page.getByRole('switch', { name: 'Permission Denied' }).click();
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // let colour transitions finish
  await page.screenshot({ path: 'docs/screenshot.png' });
} finally {
  await browser.close();
  await server.close();
}
