import { expect, test } from './support/test';
import { expectNoSeriousA11yViolations, openConsole, rowAction, signInAs } from './support/console';
import { callApi } from './support/api';
import { AUDIT_OPTION } from './support/data';
import { saveSettings } from './support/settings';
import { auditRecordsOfToken, callMyself, createToken, everythingInBrowserStorage } from './support/tokens';

test('an administrator creates a token, sees the secret once, uses it, and revokes it', async ({
  page,
  consoleProblems,
}) => {
  consoleProblems.expect(/status of 401 .*\/rest\/api\/2\/myself\)$/); // the revoked token's call below
  // Everything the page writes to its console, and every error it reports: no secret may be there.
  const consoleText: string[] = [];
  page.on('console', (message) => consoleText.push(message.text()));
  page.on('pageerror', (error) => consoleText.push(`${error.message}\n${error.stack ?? ''}`));
  await openConsole(page, '/tokens/mine');
  await expect(page.getByRole('table', { name: 'API tokens' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'My API Tokens');

  await page.getByRole('button', { name: 'Create token' }).click();
  await expectNoSeriousA11yViolations(page, 'the create dialog');
  await page.getByRole('button', { name: 'Cancel' }).click();

  const secret = await createToken(page, { description: 'E2E deploy bot', scope: 'Read & Write' });
  expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
  const created = page.getByRole('dialog', { name: 'Token created' });
  await expect(created).toContainText('E2E deploy bot');
  await expect(created).toContainText(`curl -H "Authorization: Bearer ${secret}"`);
  await expect(created).toContainText(`curl -u admin:${secret}`);
  const tokenId = (await created.getByText(/^tok_/).textContent())!;
  await expectNoSeriousA11yViolations(page, 'the secret view');

  // Nothing containing the secret is kept in the browser.
  expect(await everythingInBrowserStorage(page)).not.toContain(secret);
  expect(page.url()).not.toContain(secret);

  // Closing makes it unrecoverable: it is nowhere on the page any more.
  await created.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByText(secret)).toHaveCount(0);
  const row = page.getByRole('row').filter({ hasText: 'E2E deploy bot' });
  await expect(row).toContainText('Never');
  expect(await page.evaluate(() => document.body.innerHTML)).not.toContain(secret);

  // Use it through the engine: "Last used" updates.
  expect(await callMyself(page, `Bearer ${secret}`)).toBe(200);
  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: 'E2E deploy bot' })).toContainText('127.0.0.1');

  // Revoke it: the confirmation shows its details.
  await rowAction(page, 'E2E deploy bot', 'Revoke…');
  const confirm = page.getByRole('alertdialog', { name: 'Revoke this token?' });
  await expect(confirm).toContainText(tokenId);
  await expect(confirm).toContainText('Read & Write');
  await expectNoSeriousA11yViolations(page, 'the revoke confirmation');
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByText('Token revoked', { exact: true })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'E2E deploy bot' })).toHaveCount(0);
  expect(await callMyself(page, `Bearer ${secret}`)).toBe(401);

  // Nothing the page logged or reported contains the secret.
  expect(consoleText.join('\n')).not.toContain(secret);
  expect(consoleText.join('\n')).not.toContain(secret.slice(4));

  // Creation and deletion are in the audit log, matched by the token id.
  expect(await auditRecordsOfToken(page, tokenId, 'API token created')).toBe(1);
  expect(await auditRecordsOfToken(page, tokenId, 'API token deleted')).toBe(1);
});

test('a regular user sees only their own tokens, and a forced Read Only scope is locked', async ({
  page,
}) => {
  // The administrator forces Read Only for regular users.
  await openConsole(page, '/settings/authentication');
  await page.getByRole('switch', { name: 'Force Read Only scope for regular users' }).click();
  await saveSettings(page);

  await signInAs(page, 'User');
  await expect(page.getByRole('heading', { level: 1, name: 'API Tokens' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Token Manager' })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Owner' })).toHaveCount(0);
  const { body } = await callApi<{ tokens: { ownerUsername: string }[] }>(page, '/tokens?pageSize=200');
  const owners = [...new Set(body.tokens.map((t) => t.ownerUsername))];
  expect(owners).toEqual(['jdoe']);

  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await expect(dialog.getByRole('radio', { name: 'Read & Write' })).toBeDisabled();
  await expect(dialog.getByRole('radio', { name: 'Read Only' })).toBeChecked();
  await expect(dialog).toContainText(
    'Locked to Read Only: the token policy forces Read Only scope for regular users.',
  );
  await expectNoSeriousA11yViolations(page, 'the create dialog with a locked scope');
});

test('an auditor can see their tokens and the Token Manager, but not create, edit or revoke', async ({
  page,
}) => {
  await openConsole(page);
  await signInAs(page, 'Auditor');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Tokens' }).click();
  await expect(page.getByText('You can view these tokens but not change them.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create token' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'My API Tokens, read-only');

  // The Token Manager, read-only: every user's tokens, no way to change one.
  await page.getByRole('tab', { name: 'Token Manager' }).click();
  await expect(page).toHaveURL(/\/tokens\/manage$/);
  await expect(page.getByRole('columnheader', { name: 'Owner' })).toBeVisible();
  await expect(page.getByText('You can view these tokens but not change them.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Revoke|^Create token$/ })).toHaveCount(0);
  await page
    .getByRole('button', { name: /^Actions for / })
    .first()
    .click();
  await expect(page.getByRole('menuitem')).toHaveText(['Audit records']);
  await page.keyboard.press('Escape');
  await expectNoSeriousA11yViolations(page, 'the Token Manager, read-only');
});

test('the Token Manager filters every user’s tokens through the address bar', async ({ page }) => {
  await openConsole(page, '/tokens/manage');
  await expect(page.getByRole('columnheader', { name: 'Owner' })).toBeVisible();
  await page.getByLabel('Scope').selectOption('READ_WRITE');
  await page.getByRole('checkbox', { name: 'Expiring soon' }).check();
  await expect(page).toHaveURL(/scope=READ_WRITE/);
  await expect(page).toHaveURL(/status=expiring/);
  const rows = page.getByRole('table', { name: 'API tokens' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('Read & Write');
  for (const row of (await rows.all()).slice(1)) {
    await expect(row).toContainText('Read & Write');
    await expect(row).toContainText(/Expires in \d+ days?/);
  }
  await page.reload();
  await expect(page.getByLabel('Scope')).toHaveValue('READ_WRITE');
  await page.goBack();
  await expect(page).not.toHaveURL(/status=expiring/);
  await expectNoSeriousA11yViolations(page, 'Token Manager with filters');
});

test('each token links to its audit records: creation, use and deletion', async ({ page }) => {
  await openConsole(page, '/settings/audit-logging');
  await page.getByRole('switch', { name: AUDIT_OPTION.successful }).click();
  await saveSettings(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Tokens' }).click();
  const secret = await createToken(page, { description: 'E2E audited token' });
  await page.getByRole('dialog', { name: 'Token created' }).getByRole('button', { name: 'Done' }).click();
  expect(await callMyself(page, `Bearer ${secret}`)).toBe(200);

  await rowAction(page, 'E2E audited token', 'Audit records');
  await expect(page).toHaveURL(/\/audit\?object=tok_/);
  const rows = page.getByRole('table', { name: 'Audit records' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('Successful authentication');
  await expect(rows.nth(2)).toContainText('API token created');
  await expect(rows).toHaveCount(3);
});
