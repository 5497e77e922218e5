import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { expectNoSeriousA11yViolations, openConsole, signInAs } from './support/console';
import { auditRecords } from './support/api';
import { sendDemoTraffic } from './support/settings';

const loggerRow = (page: Page, name: string) =>
  page
    .getByRole('table', { name: 'Loggers' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

async function setLevel(page: Page, name: string, level: string) {
  await loggerRow(page, name)
    .getByRole('button', { name: `Set level of ${name}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Set the level of ${name}` });
  await dialog.getByLabel('Level').selectOption(level);
  await dialog.getByRole('button', { name: 'Set level' }).click();
  await expect(page.getByText(`${name} set to ${level}`, { exact: true })).toBeVisible();
}

/** The INFO lines of the authentication service on the Log entries tab, newest first. */
async function infoLines(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: 'Log entries' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  const table = page.getByRole('table', { name: 'Log entries' });
  await expect(table).toBeVisible();
  return table
    .getByRole('row')
    .filter({ hasText: 'INFO' })
    .filter({ hasText: 'ApiTokenAuthenticationService' })
    .allInnerTexts();
}

test('an administrator configures another package, sees its snippet, and resets it', async ({ page }) => {
  await openConsole(page, '/logging/levels');
  await expectNoSeriousA11yViolations(page, 'Log levels');
  await page.getByLabel('Package or class name').fill('com.example.integration!');
  await expect(page.getByText(/Enter a Java package or class name/)).toBeVisible();
  await page.getByLabel('Package or class name').fill('com.example.integration');
  await page.getByLabel('Level', { exact: true }).selectOption('DEBUG');
  await page.getByRole('button', { name: 'Configure' }).click();

  const row = loggerRow(page, 'com.example.integration');
  await expect(row.getByRole('cell').first()).toHaveText('DEBUG');
  const log4j2 = page.locator('pre[aria-labelledby="snippet-log4j2"]');
  await expect(log4j2).toContainText(
    '<Logger name="com.example.integration" level="DEBUG" additivity="false">',
  );
  await expect(log4j2).toContainText('<AppenderRef ref="filelog"/>');
  await expect(page.locator('pre[aria-labelledby="snippet-log4j1"]')).toContainText(
    'log4j.logger.com.example.integration=DEBUG, apitokenservice',
  );

  await row.getByRole('button', { name: 'Reset com.example.integration' }).click();
  await expect(row.getByRole('cell').first()).toHaveText('— (inherited)');
  await expect(page.locator('pre[aria-labelledby="snippet-log4j2"]')).not.toContainText(
    'com.example.integration',
  );
});

test('WARN on the app logger stops new INFO lines; INFO again brings them back in the seed’s format', async ({
  page,
}) => {
  await openConsole(page, '/logging/levels');
  await setLevel(page, 'de.resolution.apitokenauth', 'WARN');
  const before = await infoLines(page);
  await sendDemoTraffic(page);
  expect(await infoLines(page)).toEqual(before);

  await page.getByRole('tab', { name: 'Log levels' }).click();
  await setLevel(page, 'de.resolution.apitokenauth', 'INFO');
  await sendDemoTraffic(page);
  const after = await infoLines(page);
  expect(after.length).toBeGreaterThan(before.length);
  expect(after[0]).not.toEqual(before[0]);
  const newLines = after.slice(0, after.length - before.length).join('\n');
  expect(newLines).toMatch(
    /Found a matching token ".+" with (Read Only|Read & Write) scope and authenticated user [\w-]+\. Token was created on \w{3} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M\. REST endpoint: \/rest\/api\/2\/myself/,
  );
  await expectNoSeriousA11yViolations(page, 'Log entries');
});

test('a temporary level shows its countdown, and the change is audited', async ({ page }) => {
  await openConsole(page, '/logging/levels');
  const name = 'de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter';
  await loggerRow(page, name)
    .getByRole('button', { name: `Set level of ${name}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Set the level of ${name}` });
  await dialog.getByLabel('Level').selectOption('TRACE');
  await dialog.getByLabel('Revert after').selectOption('15m');
  await expectNoSeriousA11yViolations(page, 'the set-level dialog');
  await dialog.getByRole('button', { name: 'Set level' }).click();
  await expect(loggerRow(page, name).getByRole('cell').first()).toContainText(
    /Reverts to inherited on node-1, DEBUG on node-2 in 1[45]:\d{2}/,
  );
  const [record] = await auditRecords(page, { summary: ['Log level changed'], limit: 1 });
  expect(record?.author.username).toBe('admin');
  expect(record?.changedValues).toContainEqual({
    field: 'Level',
    from: 'node-1: inherited, node-2: DEBUG',
    to: 'TRACE',
  });
});

test('an auditor sees both tabs and can change nothing', async ({ page }) => {
  await openConsole(page);
  await signInAs(page, 'Auditor');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logging' }).click();
  await expect(
    page.getByText('You can view the loggers and their entries but not change levels.'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: /^Set level of/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Reset/ })).toHaveCount(0);
  await expect(page.getByLabel('Package or class name')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Log entries' }).click();
  await expect(page.getByRole('table', { name: 'Log entries' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'Logging, read-only');
});

test('at phone width the log entries fit the screen: no sideways scrolling to read a message', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openConsole(page, '/logging/entries');
  const table = page.getByRole('table', { name: 'Log entries' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  const box = (await table.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(375);
});
