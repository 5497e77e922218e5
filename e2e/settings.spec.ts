import { expect, test } from './support/test';
import { expectNoSeriousA11yViolations, openConsole, signInAs } from './support/console';
import { AUDIT_OPTION, BASIC_GATE, BEARER_GATE } from './support/data';
import {
  newestAuditRecordId,
  openSettingsTab,
  saveSettings,
  sendDemoTraffic,
  settingsSavedMessage,
} from './support/settings';

test('an administrator makes failed basic attempts auditable, sees them recorded, and re-allowing passwords turns the option off', async ({
  page,
}) => {
  await openConsole(page, '/settings/audit-logging');
  const option = page.getByRole('switch', { name: AUDIT_OPTION.failedBasic });

  // While passwords are allowed the option is unavailable, and says why, next to it.
  await expect(option).toBeDisabled();
  await expect(
    page.getByText(/Available only while basic authentication with regular passwords is disabled/),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'Audit Logging tab');

  // The link next to the reason leads to the controlling switch.
  await page.getByRole('link', { name: `Go to “${BASIC_GATE}”` }).click();
  await expect(page).toHaveURL(/\/settings\/authentication#disable-basic-auth$/);
  await expect(page.getByRole('switch', { name: BASIC_GATE })).toBeFocused();
  await expectNoSeriousA11yViolations(page, 'Authentication tab');

  await page.getByRole('switch', { name: BASIC_GATE }).click();
  await saveSettings(page);

  await openSettingsTab(page, 'Audit Logging');
  await expect(option).toBeEnabled();
  await option.click();
  await saveSettings(page);

  await page.reload();
  await expect(page.getByRole('switch', { name: AUDIT_OPTION.failedBasic })).toBeChecked();

  // Demo traffic: wrong tokens with Basic are now refused and recorded.
  const event = 'Failed API token basic authentication attempt';
  const before = await newestAuditRecordId(page, event); // the seeded history has some
  expect(before).not.toBeNull();
  await sendDemoTraffic(page);
  await expect.poll(() => newestAuditRecordId(page, event)).not.toBe(before);

  // Allowing passwords again: the confirmation names the option that will be turned off.
  await openSettingsTab(page, 'Authentication');
  await page.getByRole('switch', { name: BASIC_GATE }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Turn off audit logging options?' });
  await expect(confirm).toContainText(AUDIT_OPTION.failedBasic);
  await expectNoSeriousA11yViolations(page, 'the turn-off confirmation');
  await confirm.getByRole('button', { name: 'Save and turn off' }).click();
  await expect(settingsSavedMessage(page)).toContainText(`Turned off: ${AUDIT_OPTION.failedBasic}.`);

  await openSettingsTab(page, 'Audit Logging');
  await expect(option).not.toBeChecked();
  await expect(option).toBeDisabled();
});

test('a stale save shows the conflict and keeps the draft', async ({ page, context, consoleProblems }) => {
  consoleProblems.expect(/status of 412 /);
  await openConsole(page, '/settings/authentication');
  const other = await context.newPage();
  await openConsole(other, '/settings/authentication');

  // Someone else saves first.
  await other.getByRole('switch', { name: 'Rate limiting' }).click();
  await saveSettings(other);

  // This page's draft was based on the older version (the user is back on it: its tab in front).
  await page.bringToFront();
  await page.getByRole('switch', { name: BEARER_GATE }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByRole('alertdialog', {
    name: 'Someone else saved the settings while you were editing',
  });
  await expect(conflict).toBeVisible();
  await expect(conflict.getByRole('button', { name: 'Apply my changes on top' })).toBeFocused();
  await expect(conflict).toContainText('Rate limiting: Off → On');
  await expect(page.getByRole('switch', { name: BEARER_GATE })).toBeChecked();
  await expectNoSeriousA11yViolations(page, 'the settings conflict');

  await conflict.getByRole('button', { name: 'Apply my changes on top' }).click();
  await saveSettings(page);
  await page.reload();
  await expect(page.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
  await expect(page.getByRole('switch', { name: BEARER_GATE })).toBeChecked();
});

test('an invalid value gets a message next to the field and nothing is saved', async ({ page }) => {
  await openConsole(page, '/settings/authentication');
  // Its limits can be edited only while rate limiting is on (off in the demo).
  await page.getByRole('switch', { name: 'Rate limiting' }).click();
  const rpm = page.getByLabel('Requests per minute');
  await rpm.fill('0');
  await expect(page.getByText('Requests per minute must be at least 1.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await page.getByLabel('Allowed addresses and ranges').fill('10.0.0.300');
  await expect(
    page.getByText('"10.0.0.300" is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add', exact: true })).toBeDisabled();
  await expectNoSeriousA11yViolations(page, 'Authentication tab with errors');
});

test('an auditor sees every settings tab and can change nothing', async ({ page }) => {
  await openConsole(page);
  await signInAs(page, 'Auditor');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText(/You can view these settings but not change them/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
  for (const tab of ['Authentication', 'Permissions', 'Audit Logging'] as const) {
    await openSettingsTab(page, tab);
    const switches = page.getByRole('switch');
    for (const control of await switches.all()) await expect(control).toBeDisabled();
    for (const box of await page.getByRole('textbox').all()) await expect(box).toBeDisabled();
    await expectNoSeriousA11yViolations(page, `${tab} tab, read-only`);
  }
});
