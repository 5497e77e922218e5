import type { Page, Route } from '@playwright/test';
import { expect, test } from '../support/test';
import { BASE_PATH } from '../../contract/api';
import { E2E_PASSWORDS } from '../support/data';
import { signInToServer as signIn } from '../support/server';
import { expectNoSeriousA11yViolations } from '../support/console';
import { settingsSavedMessage } from '../support/settings';

/**
 * Fault scenarios against the real server, with the network made to fail (page.route, offline,
 * cookies cleared, a fake clock). In each, the console says what happened, offers a retry where it
 * makes sense, keeps the user's draft and never shows a success that did not happen.
 *
 *  1. a 500 (problem+json) and then a proxy's 502 (HTML) on saving the settings
 *  2. a save that never gets an answer: the 30 s timeout, run on a fake clock
 *  3. a 401 mid-session (the session cookie is gone) while a settings draft exists: signing in again
 *     in the dialog keeps the page and the draft
 *  4. a 412 conflict between two tabs of the same session
 *  5. going offline with the create-token dialog filled in
 *  6. … and cancelling that dialog while offline
 *  7. a slow export, cancelled
 *  8. a failed export, tried again
 *
 * 8 scenarios. The
 * server's database lives for the whole run and other specs change the settings too: every test
 * reads a value before it asserts a change of it.
 */

const SETTINGS_URL = `**${BASE_PATH}/settings`;
const FORCE_READ_ONLY = 'Force Read Only scope for regular users';
const EXPIRY_WARNING = 'Expiry warning (days before expiry)';

/** Answers the next `times` PUTs of the settings with `answer`; everything else goes to the server. */
async function failSettingsPut(page: Page, answer: (route: Route) => Promise<void>, times = 1) {
  let left = times;
  const handler = async (route: Route) => {
    if (route.request().method() !== 'PUT' || left <= 0) return route.fallback();
    left--;
    await answer(route);
  };
  await page.route(SETTINGS_URL, handler);
  return () => page.unroute(SETTINGS_URL, handler);
}

const saveButton = (page: Page) => page.getByRole('button', { name: 'Save', exact: true });
const savedMessage = settingsSavedMessage;
const saveError = (page: Page) => page.getByRole('alert').filter({ hasText: 'The settings were not saved' });

/** Opens the Authentication tab and flips "Force Read Only…"; returns the value it now has in the draft. */
async function startSettingsDraft(page: Page): Promise<boolean> {
  await page.goto('/settings/authentication');
  const toggle = page.getByRole('switch', { name: FORCE_READ_ONLY });
  await expect(toggle).toBeEnabled();
  const before = (await toggle.getAttribute('aria-checked')) === 'true';
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', String(!before));
  await expect(page.getByText(/^Unsaved changes \(1\) on Authentication\.$/)).toBeVisible();
  return !before;
}

/** The value of "Force Read Only…" on the server, read as a REST client would. */
async function savedForceReadOnly(page: Page): Promise<boolean> {
  return page.evaluate(async (api) => {
    const response = await fetch(`${api}/settings`, { headers: { accept: 'application/json' } });
    const body = (await response.json()) as {
      authentication: { tokenPolicy: { forceReadOnlyForRegularUsers: boolean } };
    };
    return body.authentication.tokenPolicy.forceReadOnlyForRegularUsers;
  }, BASE_PATH);
}

// The settings scenarios save the one settings document: run them one after another (in one worker)
// so that they do not answer each other's saves with 412.
test.describe('settings faults', () => {
  test.describe.configure({ mode: 'default' });

  test('a failed save says why, keeps the draft, shows no success, and saves on retry', async ({
    page,
    consoleProblems,
  }) => {
    consoleProblems.expect(/status of 50[02] /);
    await signIn(page);
    const wanted = await startSettingsDraft(page);
    const toggle = page.getByRole('switch', { name: FORCE_READ_ONLY });

    // 1st try: the server answers 500 with problem details.
    let unroute = await failSettingsPut(page, (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Internal Server Error',
          status: 500,
          detail: 'The database is not available.',
        }),
      }),
    );
    await saveButton(page).click();
    await expect(saveError(page)).toHaveText(
      'The settings were not saved: The database is not available. Your changes are kept.',
    );
    await expect(toggle).toHaveAttribute('aria-checked', String(wanted));
    await expect(saveButton(page)).toBeEnabled(); // the retry
    await expect(savedMessage(page)).toHaveCount(0);
    expect(await savedForceReadOnly(page)).toBe(!wanted);
    await expectNoSeriousA11yViolations(page, 'the settings save error');
    await unroute();

    // 2nd try: a proxy in front answers 502 with an HTML page (not problem+json).
    unroute = await failSettingsPut(page, (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' }),
    );
    await saveButton(page).click();
    await expect(saveError(page)).toHaveText(
      'The settings were not saved: Something went wrong on the server. Try again. Your changes are kept.',
    );
    await expect(toggle).toHaveAttribute('aria-checked', String(wanted));
    await expect(savedMessage(page)).toHaveCount(0);
    await unroute();

    // 3rd try: the server is back.
    await saveButton(page).click();
    await expect(savedMessage(page)).toBeVisible();
    await expect(saveError(page)).toHaveCount(0);
    // "Settings saved." takes the place of "No unsaved changes." in the save bar: nothing is left to save.
    await expect(saveButton(page)).toBeDisabled();
    expect(await savedForceReadOnly(page)).toBe(wanted);
  });

  test('a save that never gets an answer times out after 30 s, keeps the draft, and saves on retry', async ({
    page,
  }) => {
    // The api client's 30 s AbortSignal.timeout runs on Playwright's fake clock.
    await page.clock.install();
    await signIn(page);
    const wanted = await startSettingsDraft(page);
    const toggle = page.getByRole('switch', { name: FORCE_READ_ONLY });

    const hanging: Route[] = [];
    const unroute = await failSettingsPut(page, async (route) => void hanging.push(route));
    await saveButton(page).click();
    await expect(page.getByRole('button', { name: 'Saving…' })).toBeDisabled();
    await expect.poll(() => hanging.length).toBe(1);

    // Not yet at 29 s…
    await page.clock.runFor(29_000);
    await expect(page.getByRole('button', { name: 'Saving…' })).toBeVisible();
    await expect(saveError(page)).toHaveCount(0);
    // …given up after 30 s.
    await page.clock.runFor(2_000);
    await expect(saveError(page)).toHaveText(
      'The settings were not saved: The server took too long to answer. Try again. Your changes are kept.',
    );
    await expect(toggle).toHaveAttribute('aria-checked', String(wanted));
    await expect(saveButton(page)).toBeEnabled();
    await expect(savedMessage(page)).toHaveCount(0);
    await unroute();

    await saveButton(page).click();
    await expect(savedMessage(page)).toBeVisible();
    expect(await savedForceReadOnly(page)).toBe(wanted);
  });

  test('a 401 mid-session asks to sign in again, shows no success, and the console works after signing in', async ({
    page,
    context,
    consoleProblems,
  }) => {
    consoleProblems.expect(/status of 401 /);
    await signIn(page);
    const wanted = await startSettingsDraft(page);

    // The session ends behind the console's back (expired, signed out elsewhere).
    await context.clearCookies();
    await saveButton(page).click();
    const expired = page.getByRole('alertdialog', { name: 'Session expired' });
    await expect(expired).toBeVisible();
    await expect(expired).toContainText('nothing on this page is lost');
    await expect(savedMessage(page)).toHaveCount(0);
    await expect(page.getByText('The change was not saved')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'the session-expired dialog');

    // Signing in happens in the dialog: the page, and the draft on it, stay.
    let leavePrompts = 0;
    page.on('dialog', (dialog) => {
      if (dialog.type() === 'beforeunload') leavePrompts++;
      void dialog.accept();
    });
    await expect(expired.getByLabel('Username')).toHaveValue('admin');
    await expired.getByLabel('Password').fill(E2E_PASSWORDS.admin);
    await expired.getByRole('button', { name: 'Sign in' }).click();
    await expect(expired).toHaveCount(0);
    await expect(page).toHaveURL(/\/settings\/authentication$/);
    expect(leavePrompts).toBe(0);

    // Nothing was saved while the session was gone; the draft is still there and now saves.
    expect(await savedForceReadOnly(page)).toBe(!wanted);
    await expect(page.getByRole('switch', { name: FORCE_READ_ONLY })).toHaveAttribute(
      'aria-checked',
      String(wanted),
    );
    await expect(
      page.getByText('Not saved: your session had expired. Your changes are kept: press Save again.'),
    ).toBeVisible();
    await saveButton(page).click();
    await expect(savedMessage(page)).toBeVisible();
    expect(await savedForceReadOnly(page)).toBe(wanted);
  });

  test('a save on top of a newer version shows the conflict, keeps the draft, and applies it on top', async ({
    page,
    context,
    consoleProblems,
  }) => {
    consoleProblems.expect(/status of 412 /);
    await signIn(page);
    await page.goto('/settings/authentication');
    const other = await context.newPage(); // the same session, another tab
    await other.goto('/settings/authentication');
    const days = page.getByLabel(EXPIRY_WARNING);
    await expect(days).toBeEditable();
    await expect(other.getByRole('switch', { name: FORCE_READ_ONLY })).toBeEnabled();

    // The other tab saves first.
    const theirToggle = other.getByRole('switch', { name: FORCE_READ_ONLY });
    const before = (await theirToggle.getAttribute('aria-checked')) === 'true';
    await theirToggle.click();
    await saveButton(other).click();
    await expect(savedMessage(other)).toBeVisible();

    // This tab's draft was based on the older version.
    const oldDays = Number(await days.inputValue());
    const newDays = oldDays >= 60 ? oldDays - 1 : oldDays + 1;
    await days.fill(String(newDays));
    await saveButton(page).click();
    const conflict = page.getByRole('alertdialog', {
      name: 'Someone else saved the settings while you were editing',
    });
    await expect(conflict).toBeVisible();
    const onOff = (on: boolean) => (on ? 'On' : 'Off');
    await expect(conflict).toContainText(`${FORCE_READ_ONLY}: ${onOff(before)} → ${onOff(!before)}`);
    await expect(conflict).toContainText('Your changes were not saved and are still here.');
    await expect(days).toHaveValue(String(newDays));
    await expect(savedMessage(page)).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'the settings conflict');

    await conflict.getByRole('button', { name: 'Apply my changes on top' }).click();
    await expect(conflict).toHaveCount(0);
    await expect(page.getByRole('switch', { name: FORCE_READ_ONLY })).toHaveAttribute(
      'aria-checked',
      String(!before),
    );
    await expect(days).toHaveValue(String(newDays));
    await saveButton(page).click();
    await expect(savedMessage(page)).toBeVisible();

    // Both changes are saved.
    await other.reload();
    await expect(other.getByRole('switch', { name: FORCE_READ_ONLY })).toHaveAttribute(
      'aria-checked',
      String(!before),
    );
    await expect(other.getByLabel(EXPIRY_WARNING)).toHaveValue(String(newDays));
  });
});

test('going offline with the create-token dialog filled in says so, keeps the entries, and creates on retry', async ({
  page,
  context,
  consoleProblems,
}) => {
  consoleProblems.expect(/net::ERR_INTERNET_DISCONNECTED/);
  await signIn(page, '/tokens/mine');
  const description = `Offline retry ${Date.now()}`;
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Description').fill(description);

  await context.setOffline(true);
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByLabel('Description')).toHaveValue(description);
  await expect(page.getByRole('dialog', { name: 'Token created' })).toHaveCount(0);
  const failure = dialog.getByRole('alert').filter({ hasText: 'The token was not created' });
  await expect(failure).toContainText("Can't reach the server. Check your connection and try again.");
  await expect(failure).toContainText('Your entries are kept; try again.');
  await expect(dialog.getByRole('button', { name: 'Create token' })).toBeEnabled();
  await expectNoSeriousA11yViolations(page, 'the create dialog, offline');

  await context.setOffline(false);
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const created = page.getByRole('dialog', { name: 'Token created' });
  await expect(created).toContainText(description);
  await expect(created.getByLabel('Your new API token')).toHaveValue(/^atc_/);
  await created.getByRole('button', { name: 'Done' }).click();
  // Created once, not twice.
  await expect(page.getByRole('row').filter({ hasText: description })).toHaveCount(1);
});

test('a token whose creation was cancelled while offline is not created when the connection returns', async ({
  page,
  context,
  consoleProblems,
}) => {
  consoleProblems.expect(/net::ERR_INTERNET_DISCONNECTED/);
  await signIn(page, '/tokens/mine');
  const description = `Cancelled offline ${Date.now()}`;
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Description').fill(description);
  await context.setOffline(true);
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);

  let posts = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`${BASE_PATH}/tokens`)) posts++;
  });
  await context.setOffline(false);
  await page.waitForTimeout(2_000); // the console notices the connection at once (the "online" event)
  expect(posts).toBe(0);
  const matching = await page.evaluate(
    async ({ api, text }) => {
      const response = await fetch(`${api}/tokens?pageSize=200`);
      const body = (await response.json()) as { tokens: { description: string }[] };
      return body.tokens.filter((t) => t.description === text).length;
    },
    { api: BASE_PATH, text: description },
  );
  expect(matching).toBe(0);
  await expect(page.getByRole('row').filter({ hasText: description })).toHaveCount(0);
});

test('a slow export shows its progress and can be cancelled: no file, no "Exported"', async ({ page }) => {
  await signIn(page, '/audit');
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeVisible();
  let requests = 0;
  await page.route(`**${BASE_PATH}/audit/export**`, async (route) => {
    requests++;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route
      .fulfill({
        status: 200,
        contentType: 'text/csv',
        headers: { 'content-disposition': 'attachment; filename="audit-log.csv"' },
        body: 'id,timestamp\nr1,2024-01-01T00:00:00Z\n',
      })
      .catch(() => undefined); // the page gave up on it (cancelled)
  });
  const downloads: string[] = [];
  page.on('download', (download) => downloads.push(download.suggestedFilename()));

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const status = page.getByRole('status').filter({ hasText: /Export/ });
  await expect(status).toHaveText(/^Exporting… 0 records$/);
  await expect.poll(() => requests).toBe(1);
  await page.getByRole('button', { name: 'Cancel export' }).click();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeVisible();
  await expect(page.getByText(/^Exporting…/)).toHaveCount(0);

  // Well after the answer would have arrived: still no file and no success.
  await page.waitForTimeout(4_000);
  expect(downloads).toEqual([]);
  await expect(page.getByText(/Exported \d+ records/)).toHaveCount(0);
  await expect(page.getByText(/Export failed/)).toHaveCount(0);
});

test('a failed export says so and offers to try again, never "Exported"', async ({
  page,
  consoleProblems,
}) => {
  consoleProblems.expect(/status of 500 /);
  await signIn(page, '/audit');
  let fail = true;
  await page.route(`**${BASE_PATH}/audit/export**`, (route) =>
    fail
      ? route.fulfill({
          status: 500,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'about:blank',
            title: 'Internal Server Error',
            status: 500,
            detail: 'Something went wrong on the server.',
          }),
        })
      : route.fallback(),
  );
  const downloads: string[] = [];
  page.on('download', (download) => downloads.push(download.suggestedFilename()));

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const failed = page.getByText(/^Export failed: /);
  await expect(failed).toHaveText('Export failed: Something went wrong on the server. Try again');
  await expect(page.getByText(/Exported \d+ records/)).toHaveCount(0);
  expect(downloads).toEqual([]);
  await expectNoSeriousA11yViolations(page, 'the failed export');

  // Try again, with the server answering for real: now it is exported.
  fail = false;
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText(/^Exported [\d,]+ records\.$/)).toBeVisible();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await expect(failed).toHaveCount(0);
});
