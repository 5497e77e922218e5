import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/test';
import { expectNoSeriousA11yViolations } from './support/console';
import { AUDIT_OPTION } from './support/data';
import { settingsSavedMessage } from './support/settings';

/**
 * The console with the keyboard alone (the demo build): after page.goto only page.keyboard —
 * Tab, Shift+Tab, Enter, Space, arrows, Escape; no clicks, no locator.focus().
 *
 *  1. create a token (open the dialog, type, submit, the secret view, Done), rotate it and revoke it
 *     through its row's actions menu, with focus returning to where it was whenever a dialog closes,
 *     and an axe scan with each dialog open
 *  2. change an audit setting: Settings → Audit Logging tab → "Successful Authentication" with Space →
 *     Save with Enter
 */

/** Whether `target` (one element) has the keyboard focus. */
async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement);
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, at most `max` times; returns how many
 * presses it took. Fails, naming the element that has the focus, when it never gets there.
 */
async function tabTo(page: Page, target: Locator, max = 80, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  await expect(target).toBeVisible();
  for (let presses = 0; presses <= max; presses++) {
    if (await isFocused(target)) return presses;
    await page.keyboard.press(key);
  }
  const focused = await page.evaluate(() => {
    const element = document.activeElement;
    return element
      ? `${element.tagName} "${element.getAttribute('aria-label') ?? element.textContent}"`
      : 'nothing';
  });
  throw new Error(
    `${String(target)} did not get the focus after ${max} presses of ${key} (focus: ${focused})`,
  );
}

/** In an open menu: ArrowDown until the item `name` has the focus, then Enter. */
async function chooseInMenu(page: Page, name: string) {
  const item = page.getByRole('menu').getByRole('menuitem', { name });
  await expect(item).toBeVisible();
  for (let presses = 0; presses < 8 && !(await isFocused(item)); presses++)
    await page.keyboard.press('ArrowDown');
  await expect(item).toBeFocused();
  await page.keyboard.press('Enter');
}

test('an administrator creates, rotates and revokes a token with the keyboard alone; focus lands sensibly in and after each dialog', async ({
  page,
}) => {
  await page.goto('/tokens/mine');
  await expect(page.getByRole('table', { name: 'API tokens' })).toBeVisible();
  const createButton = page.getByRole('main').getByRole('button', { name: 'Create token', exact: true });
  const createDialog = page.getByRole('dialog', { name: 'Create token' });

  // Open the dialog, look at it, close it with Escape: focus is back on "Create token".
  await tabTo(page, createButton);
  await page.keyboard.press('Enter');
  await expect(createDialog).toBeVisible();
  // Once the token policy has loaded, the focus is on the first field (not on ✕).
  await expect(createDialog.getByLabel('Description')).toBeFocused();
  await expectNoSeriousA11yViolations(page, 'the create dialog (keyboard)');
  await page.keyboard.press('Escape');
  await expect(createDialog).toHaveCount(0);
  await expect(createButton).toBeFocused();

  // Open it again (focus is still on the button), type, submit with Enter.
  const description = `Keyboard token ${Date.now()}`;
  await page.keyboard.press('Enter');
  await expect(createDialog.getByLabel('Description')).toBeFocused();
  // Enter on the empty form: refused, the focus stays on (returns to) the field to fix.
  await page.keyboard.press('Enter');
  await expect(createDialog.getByText('Enter a description.')).toBeVisible();
  await expect(createDialog.getByLabel('Description')).toBeFocused();
  await page.keyboard.type(description);
  await page.keyboard.press('Enter');

  // The secret view; Done with the keyboard: focus is back on "Create token".
  const created = page.getByRole('dialog', { name: 'Token created' });
  await expect(created).toContainText(description);
  await expect(created.getByLabel('Your new API token')).toHaveValue(/^atc_/);
  await expectNoSeriousA11yViolations(page, 'the secret view (keyboard)');
  await tabTo(page, created.getByRole('button', { name: 'Done' }), 30);
  await page.keyboard.press('Enter');
  await expect(created).toHaveCount(0);
  await expect(createButton).toBeFocused();

  const row = page.getByRole('row').filter({ hasText: description });
  await expect(row).toHaveCount(1);
  const actions = row.getByRole('button', { name: `Actions for ${description}` });

  // Rotate it: Tab to the row's actions, Enter opens the menu, arrows to "Rotate…".
  await tabTo(page, actions);
  await page.keyboard.press('Enter');
  await chooseInMenu(page, 'Rotate…');
  const rotate = page.getByRole('dialog', { name: 'Rotate this token?' });
  await expect(rotate).toContainText(description);
  await expectNoSeriousA11yViolations(page, 'the rotate dialog (keyboard)');
  // The dialog opens on its one choice, the grace period (a radio group: an arrow picks the next one).
  const immediately = rotate.getByRole('radio', { name: 'Immediately' });
  await expect(immediately).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(rotate.getByRole('radio', { name: 'After 1 hour' })).toBeChecked();
  await tabTo(page, rotate.getByRole('button', { name: 'Rotate token' }), 10);
  await page.keyboard.press('Enter');
  const rotated = page.getByRole('dialog', { name: 'Token rotated' });
  await expect(rotated.getByLabel('Your new API token')).toHaveValue(/^atc_/);
  await expect(rotated).toContainText('The previous secret keeps working until');
  await expectNoSeriousA11yViolations(page, 'the rotated secret (keyboard)');
  // Escape before copying asks first; "Go back" returns to the secret.
  await page.keyboard.press('Escape');
  const ask = page.getByRole('alertdialog', { name: 'Have you copied the token?' });
  await expect(ask).toBeVisible();
  await tabTo(page, ask.getByRole('button', { name: 'Go back to the token' }), 5);
  await page.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  await tabTo(page, rotated.getByRole('button', { name: 'Done' }), 30);
  await page.keyboard.press('Enter');
  await expect(rotated).toHaveCount(0);
  await expect(actions).toBeFocused();
  await expect(row).toContainText('Previous secret works until');

  // Revoke it; cancelling the confirmation puts focus back on the row's actions.
  await page.keyboard.press('Enter');
  await chooseInMenu(page, 'Revoke…');
  const confirm = page.getByRole('alertdialog', { name: 'Revoke this token?' });
  await expect(confirm).toContainText(description);
  await expectNoSeriousA11yViolations(page, 'the revoke confirmation (keyboard)');
  // It opens on the safe choice: Enter right away revokes nothing.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(actions).toBeFocused();
  await expect(row).toHaveCount(1);

  await page.keyboard.press('Enter');
  await chooseInMenu(page, 'Revoke…');
  await expect(confirm).toBeVisible();
  await tabTo(page, confirm.getByRole('button', { name: 'Revoke token' }), 10);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Token revoked', { exact: true })).toBeVisible();
  await expect(row).toHaveCount(0);
  // The row is gone: the focus is on the actions of the row that took its place, not the page's body.
  await expect(page.getByRole('button', { name: /^Actions for / }).first()).toBeFocused();
});

test('an administrator turns on an audit event with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  const main = page.getByRole('navigation', { name: 'Main' });
  await expect(main).toBeVisible();

  // Settings, through the main navigation.
  await tabTo(page, main.getByRole('link', { name: 'Settings' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/settings\/authentication$/);

  // The tab list is one Tab stop; arrows move between the tabs, Enter opens one.
  const tabs = page.getByRole('tablist', { name: 'Settings' });
  await tabTo(page, tabs.getByRole('tab', { name: /^Authentication/ }));
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: /^Permissions/ })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: /^Audit Logging/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/settings\/audit-logging$/);
  await expect(tabs.getByRole('tab', { name: /^Audit Logging/ })).toHaveAttribute('aria-selected', 'true');

  // Space flips the switch.
  const option = page.getByRole('switch', { name: AUDIT_OPTION.successful });
  await expect(option).toBeEnabled();
  const before = (await option.getAttribute('aria-checked')) === 'true';
  await tabTo(page, option);
  await page.keyboard.press('Space');
  await expect(option).toHaveAttribute('aria-checked', String(!before));
  await expect(page.getByText(/^Unsaved changes \(1\) on Audit Logging\.$/)).toBeVisible();

  // Enter on Save.
  await tabTo(page, page.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  await expect(settingsSavedMessage(page)).toBeVisible();

  await page.reload();
  await expect(page.getByRole('switch', { name: AUDIT_OPTION.successful })).toHaveAttribute(
    'aria-checked',
    String(!before),
  );
});

test('the first Tab shows "Skip to content" above the header, covering nothing; Enter moves to the page', async ({
  page,
}) => {
  await page.goto('/overview');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  const link = (await skip.boundingBox())!;
  const product = (await page.getByText('API Token Console', { exact: true }).boundingBox())!;
  expect(link.height).toBeGreaterThan(20);
  // Above the product name, not over it.
  expect(link.y + link.height).toBeLessThanOrEqual(product.y);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});
