import { expect, test } from '../support/test';
import { BASE_PATH } from '../../contract/api';
import { AUDIT_OPTION, E2E_PASSWORDS } from '../support/data';
import { expectNoSeriousA11yViolations } from '../support/console';
import { settingsSavedMessage } from '../support/settings';

test('an administrator signs in, creates a token, sees its use recorded and logged, and signs out', async ({
  page,
  request,
  consoleProblems,
}) => {
  // Opening a page without a session: the 401 of "who am I?" is how the console learns to show sign-in;
  // and the wrong password below.
  consoleProblems.expect(/status of 401 .*\/rest\/api-token-auth\/1\.0\/(myself|session)\)$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await expectNoSeriousA11yViolations(page, 'the sign-in page');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password.');
  await page.getByLabel('Password').fill(E2E_PASSWORDS.admin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // The header names the user once ("Administrator" is the display name and the role), with the username.
  await expect(page.getByRole('banner').getByText('Administrator', { exact: true })).toHaveCount(1);
  await expect(page.getByRole('banner').getByText('admin', { exact: true })).toBeVisible();

  // Record successful authentications.
  await page.goto('/settings/audit-logging');
  await page.getByRole('switch', { name: AUDIT_OPTION.successful }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(settingsSavedMessage(page)).toBeVisible();

  // The app logs at WARN until an administrator turns its package to INFO (as the seed has it).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logging' }).click();
  const appLogger = page
    .getByRole('table', { name: 'Loggers' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'de.resolution.apitokenauth', exact: true }) });
  await expect(appLogger).toContainText('WARN');
  await appLogger.getByRole('button', { name: 'Set level of de.resolution.apitokenauth' }).click();
  const levelDialog = page.getByRole('dialog', { name: 'Set the level of de.resolution.apitokenauth' });
  await levelDialog.getByLabel('Level').selectOption('INFO');
  await levelDialog.getByRole('button', { name: 'Set level' }).click();
  await expect(page.getByText('de.resolution.apitokenauth set to INFO', { exact: true })).toBeVisible();

  // Create a token in the console.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Tokens' }).click();
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Description').fill('E2E server token');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const created = page.getByRole('dialog', { name: 'Token created' });
  const secret = await created.getByLabel('Your new API token').inputValue();
  await created.getByRole('button', { name: 'Done' }).click();

  // Call the API with it from the test, in both schemes.
  const bearer = await request.get('/rest/api/2/myself', { headers: { authorization: `Bearer ${secret}` } });
  expect(bearer.status()).toBe(200);
  expect(await bearer.json()).toMatchObject({ name: 'admin' });
  const basic = await request.get('/rest/api/2/myself', {
    headers: { authorization: `Basic ${Buffer.from(`admin:${secret}`).toString('base64')}` },
  });
  expect(basic.status()).toBe(200);

  // The successful-authentication record in the Audit Log (the file's other tests share this server
  // and may have written newer records meanwhile: the record is looked for, not assumed first).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' }).click();
  const tokenUse = page
    .getByRole('table', { name: 'Audit records' })
    .getByRole('row')
    .filter({ hasText: 'admin, E2E server token' })
    .first();
  await expect(tokenUse).toContainText('Successful authentication');

  // …and the line in Log entries, read from the real log file.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logging' }).click();
  await page.getByRole('tab', { name: 'Log entries' }).click();
  await expect(page.getByRole('table', { name: 'Log entries' })).toContainText(
    'Found a matching token "E2E server token" with Read Only scope and authenticated user admin.',
  );

  // Sign out: the session ends on the server too (the console sends its CSRF token with the request).
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('a next parameter that leads to another host lands on the start page, without an error', async ({
  page,
}) => {
  // Browsers read "/\host" as "//host": another site.
  await page.goto(`/sign-in?next=${encodeURIComponent('/\\evil.example:8080/x')}`);
  await page.getByLabel('Username').fill('auditor');
  await page.getByLabel('Password').fill(E2E_PASSWORDS.auditor);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/overview');
});

test('the server sends strict security headers and no stack traces', async ({ request }) => {
  const page = await request.get('/');
  expect(page.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(page.headers()['content-security-policy']).not.toContain('unsafe-inline');
  expect(page.headers()['x-content-type-options']).toBe('nosniff');
  expect(page.headers()['referrer-policy']).toBe('no-referrer');
  const broken = await request.post(`${BASE_PATH}/session`, {
    headers: { 'content-type': 'application/json' },
    data: Buffer.from('{"username":'),
  });
  expect(broken.status()).toBe(400);
  expect(await broken.text()).not.toMatch(/at .+\.(ts|js):\d+/);
});

test('after five wrong passwords the sign-in form says to wait, keeps the username, and the wait is for that name alone', async ({
  page,
  consoleProblems,
}) => {
  consoleProblems.expect(/status of (401|429) .*\/rest\/api-token-auth\/1\.0\/session\)$/); // the guesses below
  // A name of its own: the lockout is per username (and this server's other tests sign in too).
  const username = `mallory-${test.info().workerIndex}-${Date.now()}`;
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill(username);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Password').fill(`guess ${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  }
  await page.getByLabel('Password').fill('guess 5');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A minute from the fifth failure (a slow machine may have used a second or two of it).
  await expect(page.getByRole('alert')).toHaveText(
    /^Too many failed sign-ins\. Try again in (1 minute|5\d seconds)\.$/,
  );
  await expect(page.getByLabel('Username')).toHaveValue(username);
  await expectNoSeriousA11yViolations(page, 'the sign-in page, locked');
  await page.screenshot({ path: test.info().outputPath('sign-in-locked.png') });

  // Another name from the same browser still gets in.
  await page.getByLabel('Username').fill('auditor');
  await page.getByLabel('Password').fill(E2E_PASSWORDS.auditor);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
});

test('"REST API" in the header opens the OpenAPI document the server serves', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill('auditor');
  await page.getByLabel('Password').fill(E2E_PASSWORDS.auditor);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'REST API' }).click();
  await expect(page).toHaveURL(/\/rest\/api-token-auth\/1\.0\/openapi\.json$/);
  const document = JSON.parse(await page.locator('body').innerText()) as { openapi: string; paths: object };
  expect(document.openapi).toMatch(/^3\.1\./);
  expect(document.paths).toHaveProperty(['/rest/de.resolution.apitokenauth/latest/user/token']);
});
