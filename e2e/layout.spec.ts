import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/test';
import { openConsole, signInAs } from './support/console';
import { settingsSavedMessage } from './support/settings';
import { createToken } from './support/tokens';

/** What a user sees where: nothing needed is off-screen, nothing moves under the pointer or covers another thing. */

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${String(locator)} has no box`);
  return found;
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const tokenTable = (page: Page) => page.getByRole('table', { name: 'API tokens' });

for (const width of [1440, 1280, 375]) {
  test(`the Token Manager shows every row's actions without scrolling sideways at ${width} px`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await openConsole(page, '/tokens/manage');
    const actions = tokenTable(page).getByRole('button', { name: /^Actions for / });
    await expect(actions.first()).toBeVisible();
    for (const button of (await actions.all()).slice(0, 5)) {
      const { x, width: w } = await box(button);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(width);
    }
    // Laptop widths: the whole table fits, no sideways scrolling at all.
    if (width >= 1280) {
      const scrolls = await tokenTable(page).evaluate(
        (table) => table.parentElement!.scrollWidth > table.parentElement!.clientWidth,
      );
      expect(scrolls, 'the table scrolls sideways').toBe(false);
    }
    // Every page of the console is in the navigation, none off-screen.
    for (const link of await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all()) {
      const { x, width: w } = await box(link);
      expect(x + w, `${await link.textContent()} is off-screen`).toBeLessThanOrEqual(width);
    }
  });
}

test('Next page shows the next page from its first row, not scrolled to the bottom', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openConsole(page, '/tokens/manage');
  const next = page.getByRole('button', { name: 'Next' });
  await next.scrollIntoViewIfNeeded();
  await next.click();
  await expect(page.getByText(/^Showing 51–100 of/)).toBeVisible();
  await expect(tokenTable(page).getByRole('row').nth(1)).toBeInViewport();
});

test('ticking a row does not move the rows', async ({ page }) => {
  await openConsole(page, '/tokens/manage');
  const rows = tokenTable(page).getByRole('row');
  const before = await box(rows.nth(3));
  await rows.nth(1).getByRole('checkbox').check();
  await expect(page.getByText('1 selected')).toBeVisible();
  expect((await box(rows.nth(3))).y).toBe(before.y);
  await page.getByRole('button', { name: 'Clear selection' }).click();
  await expect(page.getByText('1 selected')).toHaveCount(0);
  expect((await box(rows.nth(3))).y).toBe(before.y);
});

test('the skip link, when focused, is a bar of its own above the header, not over the logo', async ({
  page,
}) => {
  await openConsole(page, '/tokens/mine');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  const logo = page.getByRole('banner').getByText('API Token Console', { exact: true });
  expect(overlaps(await box(skip), await box(logo))).toBe(false);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});

test('"Settings saved" is said in the save bar, without a version number, covering neither button', async ({
  page,
}) => {
  await openConsole(page, '/settings/authentication');
  await page.getByRole('switch', { name: 'Force Read Only scope for regular users' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // The save bar says it, where the user pressed Save.
  const saved = settingsSavedMessage(page);
  await expect(saved).toBeVisible();
  await expect(saved).not.toContainText(/version/i);
  for (const name of ['Save', 'Revert']) {
    const button = page.getByRole('button', { name, exact: true });
    expect(overlaps(await box(saved), await box(button)), `the message covers ${name}`).toBe(false);
  }
  // No notification in a corner on top of it all.
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toHaveCount(0);
});

test('the theme chosen in the account menu is applied at once and after a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openConsole(page, '/tokens/mine');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();

  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menu', { name: 'Account' }).getByRole('menuitemradio', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await background();
  expect(dark).not.toBe(light);

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).toBe(dark);

  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menu', { name: 'Account' }).getByRole('menuitemradio', { name: 'System' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
  expect(await background()).toBe(light);
});

test('a regular user’s token list keeps its headers and badges on one line at 1280 px', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openConsole(page, '/tokens/mine');
  await signInAs(page, 'User');
  const table = tokenTable(page);
  await expect(table).toBeVisible();
  const oneLine = (await box(table.getByRole('columnheader', { name: 'Scope' }))).height;
  expect((await box(table.getByRole('columnheader', { name: 'IP restrictions' }))).height).toBe(oneLine);
  const badge = table.getByText(/^Expires in \d+ days?$/).first();
  await expect(badge).toBeVisible();
  expect((await box(badge)).height).toBeLessThan(30);
});

test('copying the secret does not move anything in the dialog', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openConsole(page, '/tokens/mine');
  await createToken(page, { description: 'E2E copy layout' });
  const created = page.getByRole('dialog', { name: 'Token created' });
  const done = created.getByRole('button', { name: 'Done' });
  const before = { dialog: await box(created), done: await box(done) };
  await created.getByRole('button', { name: 'Copy the token' }).click();
  await expect(created.getByRole('button', { name: 'Copy the token' })).toHaveText('Copied ✓');
  expect(await box(created)).toEqual(before.dialog);
  expect(await box(done)).toEqual(before.done);
  await created.getByRole('button', { name: 'Copy the Bearer example' }).click();
  expect(await box(done)).toEqual(before.done);
});
