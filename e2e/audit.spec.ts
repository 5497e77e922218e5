import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { expectNoSeriousA11yViolations, openConsole, signInAs } from './support/console';
import { callApi } from './support/api';
import { AUDIT_OPTION } from './support/data';
import { saveSettings } from './support/settings';

const list = (page: Page) => page.getByRole('table', { name: 'Audit records' });
const dataRows = (page: Page) =>
  list(page)
    .getByRole('row')
    .filter({ hasNot: page.getByRole('columnheader') });

async function openAuditLogAsAuditor(page: Page) {
  await openConsole(page);
  await signInAs(page, 'Auditor');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' }).click();
  await expect(dataRows(page).first()).toBeVisible();
}

async function chooseEvent(page: Page, event: string) {
  const events = page.getByRole('button', { name: /^Events/ });
  await events.click();
  await page.getByRole('checkbox', { name: event, exact: true }).check();
  await events.click();
}

test('an auditor filters by event and CIDR, reloads, opens details, exports CSV and goes back', async ({
  page,
}) => {
  await openAuditLogAsAuditor(page);
  await expectNoSeriousA11yViolations(page, 'the Audit Log');

  // 1. Filter by event and by a CIDR range: the URL changes and every row matches.
  await chooseEvent(page, 'Permission denied');
  await expect(page).toHaveURL(/event=Permission\+denied/);
  // A text filter applies as it is typed.
  await page.getByRole('searchbox', { name: 'Source IP' }).fill('88.245.0.0/16');
  await expect(page).toHaveURL(/ip=88\.245\.0\.0%2F16/);
  await expect(page.getByText(/^\d+ records loaded\.$/)).toBeVisible();
  const loadedText = (await page.getByText(/^\d+ records loaded\.$/).textContent())!;
  const loaded = Number(loadedText.split(' ')[0]);
  expect(loaded).toBeGreaterThan(0);
  const rows = await dataRows(page).all();
  for (const row of rows) {
    await expect(row.getByRole('cell').nth(1)).toHaveText('Permission denied');
    await expect(row.getByRole('cell').nth(4)).toHaveText(/^88\.245\./);
  }
  const firstRows = await dataRows(page).allInnerTexts();
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Source IP: 88.245.0.0/16');

  // 2. Reload: the same rows.
  await page.reload();
  await expect(page.getByText(loadedText)).toBeVisible();
  expect(await dataRows(page).allInnerTexts()).toEqual(firstRows);

  // 3. Open details and check the fields.
  await dataRows(page).first().click();
  const details = page.getByRole('complementary', { name: /^Audit record ar-/ });
  await expect(details).toBeVisible();
  await expect(page).toHaveURL(/record=ar-/);
  await expect(details).toContainText('Permission denied');
  await expect(details).toContainText('Client IP address');
  // The proxy's address only where the record has one.
  const hasProxy = !(await details.textContent())!.includes('"proxyIp": null');
  await expect(details.getByText('Load balancer/proxy IP address')).toHaveCount(hasProxy ? 1 : 0);
  await expect(details).toContainText('Read-only scope');
  await expect(details).toContainText('Token ID');
  await expect(details).toContainText('"summary": "Permission denied"');
  await expectNoSeriousA11yViolations(page, 'the audit record details');
  await details.getByRole('button', { name: 'Close details' }).click();
  await expect(details).toHaveCount(0);

  // 4. Export CSV and compare its rows with the filtered list.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloadPromise;
  await expect(page.getByText(`Exported ${loaded} records.`)).toBeVisible();
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0]).toMatch(/^id,timestamp,category,event,/);
  expect(csv).toHaveLength(loaded + 1);
  for (const line of csv.slice(1)) {
    expect(line).toContain(',Permission denied,');
    expect(line).toMatch(/,88\.245\.\d+\.\d+,/);
  }

  // 5. Back: the previous filter returns.
  await page.goBack(); // closes the details entry
  await page.goBack();
  await expect(page).not.toHaveURL(/ip=/);
  await expect(page).toHaveURL(/event=Permission\+denied/);
  await expect(page.getByRole('searchbox', { name: 'Source IP' })).toHaveValue('');
});

test('new records under the live banner never move what the reader has open', async ({
  page,
  consoleProblems,
}) => {
  consoleProblems.expect(/status of 401 .*\/rest\/api\/2\/myself\)$/); // the wrong credentials below
  // The administrator records failed token verifications, so that any wrong credentials make a record.
  await openConsole(page, '/settings/audit-logging');
  await page.getByRole('switch', { name: AUDIT_OPTION.failedVerification }).click();
  await saveSettings(page);

  await signInAs(page, 'Auditor');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' }).click();
  await expect(dataRows(page).first()).toBeVisible();
  await dataRows(page).nth(2).click();
  const details = page.getByRole('complementary', { name: /^Audit record ar-/ });
  const openTitle = await details.getByRole('heading', { level: 2 }).textContent();
  const before = await dataRows(page).allInnerTexts();

  await page.getByRole('button', { name: 'Pause live updates' }).click();
  const wrongCredentials = () =>
    page.evaluate(async () => {
      for (let i = 0; i < 3; i++) {
        await fetch('/rest/api/2/myself', {
          headers: { authorization: `Basic ${btoa('jdoe:not-a-token')}` },
        });
      }
    });
  await wrongCredentials();
  await page.waitForTimeout(6_000);
  await expect(page.getByText(/new records?$/)).toHaveCount(0);
  expect(await dataRows(page).allInnerTexts()).toEqual(before);

  // Resumed: the banner tells, and still nothing moves.
  await page.getByRole('button', { name: 'Resume live updates' }).click();
  await expect(page.getByText(/^3 new records$/)).toBeVisible({ timeout: 15_000 });
  expect(await dataRows(page).allInnerTexts()).toEqual(before);
  await expect(details.getByRole('heading', { level: 2 })).toHaveText(openTitle!);
  await expectNoSeriousA11yViolations(page, 'the Audit Log with the live banner');

  await page.getByRole('button', { name: 'Show new records' }).click();
  await expect(dataRows(page).first()).toContainText('Failed API token verification');
  await expect(details.getByRole('heading', { level: 2 })).toHaveText(openTitle!);
});

test('invalid parameters fall back to defaults, and a regular user gets no Audit Log', async ({
  page,
  consoleProblems,
}) => {
  consoleProblems.expect(/status of 403 .*\/audit\/records\)$/); // the regular user's request below
  await openConsole(page, '/audit?event=Nope&ip=999.1.1.1&tz=mars&range=custom&from=2026-02-30');
  await expect(dataRows(page).first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'Active filters' })).toHaveCount(0);
  await signInAs(page, 'User');
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit Log' }),
  ).toHaveCount(0);
  expect((await callApi(page, '/audit/records')).status).toBe(403);
});

test('a "to" date without a time means the end of that day in the chosen zone', async ({ page }) => {
  await openAuditLogAsAuditor(page);
  await page.getByLabel('Time range').selectOption('custom');
  await page.getByLabel('Time zone').selectOption('utc');
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('To date').fill(yesterday);
  await expect(page).toHaveURL(new RegExp(`to=${yesterday}`));
  await expect(dataRows(page).first()).toBeVisible();
  const first = await dataRows(page).first().getByRole('cell').first().textContent();
  // The newest record shown is from that day (UTC), not from the day after: the day as the console
  // writes dates, in the browser's locale.
  const day = await page.evaluate(
    (iso) =>
      new Date(iso).toLocaleDateString(undefined, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }),
    `${yesterday}T00:00:00Z`,
  );
  expect(first).toContain(day);
  expect(first).toContain('UTC');
});

test('an invalid source IP says why under its field, and no field moves out of line', async ({ page }) => {
  await openAuditLogAsAuditor(page);
  const ip = page.getByRole('searchbox', { name: 'Source IP' });
  const search = page.getByRole('searchbox', { name: 'Search' });
  const author = page.getByRole('searchbox', { name: 'Author' });
  const before = { ip: (await ip.boundingBox())!, search: (await search.boundingBox())! };
  await ip.fill('10.0.0.0/99');
  await expect(ip).toHaveAttribute('aria-invalid', 'true');
  await expect(ip).toHaveAccessibleDescription(/./);
  expect((await ip.boundingBox())!.y).toBe(before.ip.y);
  expect((await search.boundingBox())!.y).toBe(before.search.y);
  expect((await author.boundingBox())!.y).toBe(before.ip.y);
});

test('the Audit Log scrolls as one page: the column headers stay in sight, the rows fill the screen', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAuditLogAsAuditor(page);
  await page.mouse.move(700, 300);
  await page.mouse.wheel(0, 3000);
  const header = list(page).getByRole('columnheader', { name: 'Event' });
  // The header row sticks to the top of the window (no inner scroll area of its own).
  await expect.poll(async () => (await header.boundingBox())!.y).toBeLessThan(50);
  const inSight = await dataRows(page).evaluateAll(
    (rows) =>
      rows.filter((row) => {
        const box = row.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }).length,
  );
  expect(inSight).toBeGreaterThan(15);
});

for (const width of [1440, 1280]) {
  test(`at ${width} px, with a record open beside the list too, no time or event name is cut off`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    await openAuditLogAsAuditor(page);
    /** The cells of the first rows whose text does not fit (shown with "…"). */
    const cut = () =>
      dataRows(page)
        .locator('[role="cell"]:nth-child(-n+2)')
        .evaluateAll((cells) =>
          cells
            .slice(0, 20)
            .filter((cell) => cell.scrollWidth > cell.clientWidth)
            .map((cell) => cell.textContent),
        );
    expect(await cut()).toEqual([]);
    await dataRows(page).first().click();
    await expect(page.getByRole('complementary', { name: /^Audit record ar-/ })).toBeVisible();
    expect(await cut()).toEqual([]);
  });
}
