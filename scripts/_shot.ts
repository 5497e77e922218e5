import { launchChromium } from './browser';
const [path, out, w, h, ...actions] = process.argv.slice(2);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: Number(w ?? 1280), height: Number(h ?? 900) } });
page.on('console', (m) => {
  if (m.type() === 'error') console.log('console:', m.text());
});
await page.goto('http://localhost:4173' + path);
await page.getByRole('heading', { level: 1 }).waitFor();
for (const a of actions) {
  const [kind, ...rest] = a.split(':');
  const arg = rest.join(':');
  if (kind === 'click') await page.getByRole('button', { name: arg, exact: true }).first().click();
  if (kind === 'row') await page.getByRole('row').nth(Number(arg)).click();
  if (kind === 'wait') await page.waitForTimeout(Number(arg));
}
await page.waitForTimeout(600);
await page.screenshot({ path: out! });
await browser.close();
