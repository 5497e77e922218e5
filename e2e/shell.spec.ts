import { callApi } from './support/api';
import { expect, test } from './support/test';
import {
  expectNoSeriousA11yViolations,
  mainNavLinks,
  openConsole,
  resetDemoData,
  signInAs,
} from './support/console';

test('the service worker controls the page and answers /myself', async ({ page }) => {
  await openConsole(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const myself = await callApi<{ username: string; role: string }>(page, '/myself');
  expect(myself.status).toBe(200);
  expect(myself.body).toMatchObject({ username: 'admin', role: 'admin' });
  await expect(page.getByText('API Token Console', { exact: true })).toBeVisible();
});

test('every navigation link reaches its page', async ({ page }) => {
  await openConsole(page);
  for (const name of ['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  }
});

test('the account switcher changes what the navigation shows for each role', async ({ page }) => {
  await openConsole(page);
  expect(await mainNavLinks(page)).toEqual(['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']);

  await signInAs(page, 'User');
  await expect(page.getByRole('heading', { level: 1, name: 'API Tokens' })).toBeVisible();
  expect(await mainNavLinks(page)).toEqual(['API Tokens']);

  await signInAs(page, 'Auditor');
  expect(await mainNavLinks(page)).toEqual(['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']);

  await signInAs(page, 'Administrator');
  expect(await mainNavLinks(page)).toEqual(['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']);
});

test('a demo change survives a reload, and "Reset demo data" undoes it', async ({ page }) => {
  await openConsole(page);
  await signInAs(page, 'Auditor');
  await page.reload();
  await expect(page.getByRole('button', { name: /^Account: .*, Auditor$/ })).toBeVisible();

  await resetDemoData(page);
  await expect(page.getByRole('button', { name: /^Account: .*, Administrator$/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: /^Account: .*, Administrator$/ })).toBeVisible();
});

test('an unknown address shows the 404 page', async ({ page }) => {
  await openConsole(page, '/no-such-page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'the 404 page');
});

test('a regular user opening an admin page is told they lack permission', async ({ page }) => {
  await openConsole(page);
  await signInAs(page, 'User');
  await page.goto('/audit');
  await expect(page.getByRole('alert')).toContainText("You don't have permission to view this page.");
  await expectNoSeriousA11yViolations(page, 'the permission-denied page');
});

test('is usable at 375 px width: no page scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await openConsole(page);
  const pages: [string, boolean][] = [
    ['/settings/authentication', false],
    ['/settings/permissions', false],
    ['/settings/audit-logging', false],
    ['/tokens/mine', true],
    ['/tokens/manage', true],
    ['/audit', true],
    ['/logging/levels', true],
    ['/logging/entries', true],
  ];
  for (const [path, hasTable] of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The page's content has arrived (tables are what could be too wide).
    await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
    if (hasTable) await expect(page.getByRole('table').first()).toBeVisible();
    else await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
    const overflows = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflows, `${path} scrolls sideways`).toBe(false);
  }
});

// One test per theme: ten page loads and scans each, within the test timeout on a loaded machine.
for (const colorScheme of ['light', 'dark'] as const) {
  test(`every screen passes an axe scan, in the ${colorScheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openConsole(page);
    for (const name of ['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
      await expectNoSeriousA11yViolations(page, `${name} (${colorScheme})`);
    }
    await page.getByRole('button', { name: /^Account:/ }).click();
    await expect(page.getByRole('menu', { name: 'Account' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, `the account menu (${colorScheme})`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu', { name: 'Account' })).toHaveCount(0);
  });
}

test('at phone width every page is in sight: the navigation wraps, the Audit Log shows records first', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openConsole(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']) {
    await expect(nav.getByRole('link', { name })).toBeInViewport({ ratio: 1 });
  }
  await nav.getByRole('link', { name: 'Audit Log' }).click();
  // The filters fold behind "Filters (N)" and the timeline starts folded: the first record is in sight.
  await expect(page.getByRole('button', { name: /^Filters/ })).toHaveAttribute('aria-expanded', 'false');
  const firstRecord = page.getByRole('table', { name: 'Audit records' }).getByRole('row').nth(1);
  await expect(firstRecord).toBeInViewport({ ratio: 1 });
  await page.getByRole('button', { name: /^Filters/ }).click();
  await expect(page.getByRole('searchbox', { name: 'Source IP' })).toBeVisible();
});

test('"REST API" in the header opens the OpenAPI document of the REST API', async ({
  page,
  consoleProblems,
}) => {
  // A JSON page names no icon, so Chromium asks for /favicon.ico, which the demo's static files lack.
  consoleProblems.expect(/favicon\.ico/);
  await openConsole(page);
  await page.getByRole('link', { name: 'REST API' }).click();
  await expect(page).toHaveURL(/\/rest\/api-token-auth\/1\.0\/openapi\.json$/);
  const document = JSON.parse(await page.locator('body').innerText()) as { openapi: string; paths: object };
  expect(document.openapi).toMatch(/^3\.1\./);
  expect(document.paths).toHaveProperty(['/rest/api/{apiVersion}/serverInfo']);
});
