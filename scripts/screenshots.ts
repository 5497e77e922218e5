/**
 * Screenshots of every page and dialog of the demo console at 1440, 1280 and 375 px, in the light and
 * the dark theme: what users see, to look at after a change.
 * Usage: npm run build:demo && npm run preview:demo, then
 *   npx tsx scripts/screenshots.ts [outDir] [name ...]
 * (BASE_URL overrides http://localhost:4173, WIDTHS="1280" picks widths; names pick some of the screens below, e.g. "tokens-manage").
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { launchChromium } from './browser';

const outDir = process.argv[2] ?? 'test-results/screens';
const only = new Set(process.argv.slice(3));
const base = process.env.BASE_URL ?? 'http://localhost:4173';
const WIDTHS = (process.env.WIDTHS ?? '1440,1280,375').split(',').map(Number);
const THEMES = ['light', 'dark'] as const;

/** Opens the console at `path` and waits until the page has loaded its data. */
async function open(page: Page, path: string) {
  await page.goto(base + path);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('[role="status"]')].some((s) => /^Loading/.test(s.textContent ?? '')),
  );
}

async function signInAs(page: Page, role: 'Administrator' | 'Auditor' | 'User') {
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitemradio', { name: new RegExp(`\\(${role}\\)`) }).click();
  await page.getByRole('button', { name: new RegExp(`^Account: .*, ${role}$`) }).waitFor();
}

/** Opens the first row's actions menu and picks `action`. */
async function firstRowAction(page: Page, action: string) {
  await page
    .getByRole('button', { name: /^Actions for / })
    .first()
    .click();
  await page.getByRole('menuitem', { name: action }).click();
}

/** Creates a token on My API Tokens: the dialog stays open on its secret. */
async function createToken(page: Page) {
  await open(page, '/tokens/mine');
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Description').fill('Jenkins CI');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('dialog', { name: 'Token created' }).waitFor();
}

/** A screen: how to get there from a fresh demo (each screen gets a fresh browser context). */
const SCREENS: { name: string; show: (page: Page) => Promise<void>; fullPage?: boolean }[] = [
  { name: 'overview', show: (page) => open(page, '/overview') },
  { name: 'settings-authentication', show: (page) => open(page, '/settings/authentication') },
  { name: 'settings-permissions', show: (page) => open(page, '/settings/permissions') },
  { name: 'settings-audit-logging', show: (page) => open(page, '/settings/audit-logging') },
  { name: 'tokens-mine', show: (page) => open(page, '/tokens/mine') },
  { name: 'tokens-manage', show: (page) => open(page, '/tokens/manage') },
  {
    name: 'tokens-selected',
    show: async (page) => {
      await open(page, '/tokens/manage');
      await page.getByRole('table', { name: 'API tokens' }).getByRole('checkbox').nth(1).check();
    },
  },
  {
    name: 'tokens-actions-menu',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/manage');
      await page
        .getByRole('button', { name: /^Actions for / })
        .first()
        .click();
      await page.getByRole('menu').waitFor();
    },
  },
  {
    name: 'dialog-create-token',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/manage');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('dialog', { name: 'Create token' }).getByLabel('Description').waitFor();
    },
  },
  {
    name: 'dialog-create-token-invalid',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/mine');
      await page.getByRole('button', { name: 'Create token' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create token' });
      await dialog.getByLabel('Expires').selectOption('custom');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      await dialog.getByText('Enter a description.').waitFor();
    },
  },
  {
    name: 'dialog-token-created',
    fullPage: false,
    show: async (page) => {
      await createToken(page);
    },
  },
  {
    name: 'dialog-secret-close-asked',
    fullPage: false,
    show: async (page) => {
      await createToken(page);
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog', { name: 'Have you copied the token?' }).waitFor();
    },
  },
  {
    name: 'dialog-edit-token',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/mine');
      await firstRowAction(page, 'Edit…');
      await page.getByRole('dialog', { name: 'Edit token' }).getByLabel('Expires').waitFor();
    },
  },
  {
    name: 'dialog-rotate-token',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/mine');
      await firstRowAction(page, 'Rotate…');
      await page.getByRole('dialog', { name: 'Rotate this token?' }).waitFor();
    },
  },
  {
    name: 'dialog-token-rotated',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/mine');
      await firstRowAction(page, 'Rotate…');
      const dialog = page.getByRole('dialog', { name: 'Rotate this token?' });
      await dialog.getByRole('radio', { name: 'After 1 day' }).check();
      await dialog.getByRole('button', { name: 'Rotate token' }).click();
      await page.getByRole('dialog', { name: 'Token rotated' }).waitFor();
    },
  },
  {
    name: 'dialog-revoke-token',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/mine');
      await firstRowAction(page, 'Revoke…');
      await page.getByRole('alertdialog', { name: 'Revoke this token?' }).waitFor();
    },
  },
  {
    name: 'dialog-revoke-all',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/manage');
      await page.getByRole('button', { name: 'Revoke all tokens of a user…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke all tokens of a user' });
      await dialog.getByRole('searchbox', { name: 'User' }).fill('jdoe');
      await dialog.getByRole('button', { name: 'John Doe (jdoe)' }).click();
      await dialog.getByText(/stop working at once/).waitFor();
    },
  },
  {
    name: 'account-menu',
    fullPage: false,
    show: async (page) => {
      await open(page, '/tokens/mine');
      await page.getByRole('button', { name: /^Account:/ }).click();
      await page.getByRole('menu', { name: 'Account' }).waitFor();
    },
  },
  {
    name: 'tokens-unused-90-days',
    show: async (page) => {
      await open(page, '/overview');
      await page.getByRole('link', { name: /Unused for 90 days/ }).click();
      await page.getByText(/^Showing /).waitFor();
    },
  },
  {
    name: 'settings-unsaved',
    show: async (page) => {
      await open(page, '/settings/authentication');
      await page.getByRole('switch', { name: 'Rate limiting' }).click();
    },
  },
  {
    name: 'dialog-leave-unsaved',
    fullPage: false,
    show: async (page) => {
      await open(page, '/settings/authentication');
      await page.getByRole('switch', { name: 'Rate limiting' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' }).click();
      await page.getByRole('alertdialog', { name: 'Discard unsaved changes?' }).waitFor();
    },
  },
  {
    name: 'dialog-settings-conflict',
    fullPage: false,
    show: async (page) => {
      await open(page, '/settings/authentication');
      // Someone else saves first, in another tab.
      const other = await page.context().newPage();
      await open(other, '/settings/authentication');
      await other.getByRole('switch', { name: 'Rate limiting' }).click();
      await other.getByRole('button', { name: 'Save', exact: true }).click();
      await other.getByText(/^Settings saved\./).waitFor();
      await other.close();
      await page.getByRole('switch', { name: 'Force Read Only scope for regular users' }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('alertdialog', { name: /^Someone else saved/ }).waitFor();
    },
  },
  { name: 'audit', show: (page) => open(page, '/audit') },
  {
    name: 'audit-events-open',
    fullPage: false,
    show: async (page) => {
      await open(page, '/audit');
      const phoneFilters = page.getByRole('button', { name: /^Filters/ });
      if (await phoneFilters.isVisible()) await phoneFilters.click();
      await page.getByRole('button', { name: /^Events/ }).click();
      await page.getByRole('group', { name: 'Events' }).waitFor();
    },
  },
  {
    name: 'audit-record',
    fullPage: false,
    show: async (page) => {
      await open(page, '/audit');
      await page
        .getByRole('row')
        .filter({ hasNot: page.getByRole('columnheader') })
        .first()
        .click();
      await page.getByRole('complementary', { name: /^Audit record / }).waitFor();
    },
  },
  { name: 'logging-levels', show: (page) => open(page, '/logging/levels') },
  {
    name: 'dialog-set-level',
    fullPage: false,
    show: async (page) => {
      await open(page, '/logging/levels');
      await page
        .getByRole('button', { name: /^Set level/ })
        .first()
        .click();
      await page.getByRole('dialog', { name: /^Set the level of / }).waitFor();
    },
  },
  { name: 'logging-entries', show: (page) => open(page, '/logging/entries') },
  {
    name: 'tokens-manage-auditor',
    show: async (page) => {
      await open(page, '/tokens/mine');
      await signInAs(page, 'Auditor');
      await open(page, '/tokens/manage');
    },
  },
  {
    name: 'permission-denied',
    show: async (page) => {
      await open(page, '/tokens/mine');
      await signInAs(page, 'User');
      await open(page, '/audit');
    },
  },
  { name: 'not-found', show: (page) => open(page, '/no-such-page') },
];

mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
for (const screen of SCREENS.filter((s) => only.size === 0 || only.has(s.name))) {
  for (const width of WIDTHS) {
    for (const colorScheme of THEMES) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
      const page = await context.newPage();
      try {
        await screen.show(page);
        await page.waitForTimeout(300); // transitions
        await page.screenshot({
          path: `${outDir}/${screen.name}-${width}-${colorScheme}.png`,
          fullPage: screen.fullPage ?? true,
        });
      } catch (error) {
        console.error(`${screen.name} at ${width} px (${colorScheme}): ${String(error)}`);
        process.exitCode = 1;
      } finally {
        await context.close();
      }
    }
  }
}
await browser.close();
