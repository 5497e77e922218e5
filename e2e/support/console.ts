import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export type DemoAccount = 'Administrator' | 'Auditor' | 'User';

/**
 * Opens the demo console at `path` and waits until the backend in the page has answered and the page
 * has loaded (a request still running when the test leaves the page would reach no service worker).
 */
export async function openConsole(page: Page, path = '/') {
  await page.goto(path);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
}

/**
 * Switches the demo to one of its accounts through the account menu, and waits until the page has
 * loaded what that account sees (as `openConsole`: a test that went to another address before would
 * leave a request to no service worker, and the browser logged its 404).
 */
export async function signInAs(page: Page, role: DemoAccount) {
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page
    .getByRole('menu', { name: 'Account' })
    .getByRole('menuitemradio', { name: new RegExp(`\\(${role}\\)`) })
    .click();
  const account = page.getByRole('button', { name: new RegExp(`^Account: .*, ${role}$`) });
  await expect(account).toBeVisible();
  // The console greets the account once it has loaded everything on screen again for it.
  const name = /^Account: (.*), /.exec((await account.getAttribute('aria-label')) ?? '')![1]!;
  await expect(page.getByText(`Signed in as ${name}`, { exact: true }).last()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
}

/** Opens a token row's actions menu and picks one of them. */
export async function rowAction(
  page: Page,
  description: string,
  action: 'Audit records' | 'Edit…' | 'Rotate…' | 'Revoke…',
) {
  await page.getByRole('button', { name: `Actions for ${description}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

export async function mainNavLinks(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
}

export async function resetDemoData(page: Page) {
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page
    .getByRole('menu', { name: 'Account' })
    .getByRole('menuitem', { name: 'Reset demo data…' })
    .click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Reset demo data' }).click();
  await expect(page.getByText('Demo data reset', { exact: true })).toBeVisible();
}

/** An axe scan of what is on screen: no serious or critical violations. */
export async function expectNoSeriousA11yViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `accessibility violations on ${label}`,
  ).toEqual([]);
}
