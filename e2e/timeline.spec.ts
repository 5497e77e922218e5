import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { expectNoSeriousA11yViolations, openConsole, signInAs } from './support/console';

const timeline = (page: Page) => page.getByRole('img', { name: /^Timeline of \d+ records/ });

async function asAuditor(page: Page, path: string) {
  await openConsole(page);
  await signInAs(page, 'Auditor');
  await page.goto(path);
}

test('an auditor narrows the time filter by dragging across the timeline, and back undoes it', async ({
  page,
}) => {
  await asAuditor(page, '/audit?range=7d&tz=utc');
  // 1. Bars for the seeded data.
  await expect(timeline(page)).toBeVisible();
  await expect(
    page.getByRole('heading', { name: /Timeline — [\d,]+ records, per hour \(UTC\)/ }),
  ).toBeVisible();
  expect(await timeline(page).locator('rect[fill]').count()).toBeGreaterThan(50);

  // Hovering a bar tells its counts.
  const box = (await timeline(page).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await expect(page.getByRole('status').filter({ hasText: /UTC: \d+ records?/ })).toBeVisible();

  // 2. Dragging a range updates the URL and the list.
  const firstRowBefore = await page
    .getByRole('table', { name: 'Audit records' })
    .getByRole('row')
    .nth(1)
    .textContent();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/range=custom/);
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}/);
  await expect(page).toHaveURL(/to=\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}/);
  const url = new URL(page.url());
  const from = Date.parse(`${url.searchParams.get('from')}:00Z`);
  const to = Date.parse(`${url.searchParams.get('to')}:59.999Z`);
  expect(to - from).toBeGreaterThan(10 * 3_600_000);
  expect(to - from).toBeLessThan(24 * 3_600_000);
  const firstRow = page.getByRole('table', { name: 'Audit records' }).getByRole('row').nth(1);
  await expect(firstRow).not.toHaveText(firstRowBefore!);
  const firstTime = Date.parse(
    `${(await firstRow.getByRole('cell').first().innerText()).replace(' UTC', '')} UTC`,
  );
  expect(firstTime).toBeLessThanOrEqual(to);
  expect(firstTime).toBeGreaterThanOrEqual(from);
  await expect(page.getByRole('heading', { name: /per hour|per minute/ })).toBeVisible();

  // 3. Back restores the previous range.
  await page.goBack();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole('table', { name: 'Audit records' }).getByRole('row').nth(1)).toHaveText(
    firstRowBefore!,
  );

  // The text alternative: a table of the buckets, reachable by keyboard.
  await page.getByText('Show the timeline as a table').click();
  await expect(page.getByRole('table', { name: 'Audit records per hour' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'the Audit Log with its timeline');
});

test('the keyboard narrows the range to one bar', async ({ page }) => {
  await asAuditor(page, '/audit?range=24h&tz=utc');
  await timeline(page).focus();
  await page.keyboard.press('End');
  await expect(page.getByRole('status').filter({ hasText: /UTC: \d+ records?/ })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/range=custom/);
});

test('an Overview card links to the Audit Log with matching filters', async ({ page }) => {
  await openConsole(page);
  await signInAs(page, 'Auditor');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(
    page.getByText(
      /Basic authentication with regular passwords is allowed: failed basic attempts are not audit-logged\./,
    ),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'the Overview');

  const card = page.getByRole('link', { name: /^Permission denied \d+/ });
  const shown = Number((await card.innerText()).match(/\d+/)![0]);
  await card.click();
  await expect(page).toHaveURL(/\/audit\?/);
  await expect(page).toHaveURL(/range=24h/);
  await expect(page).toHaveURL(/event=Permission\+denied/);
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Event: Permission denied');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Last 24 hours');
  if (shown > 0) {
    await expect(page.getByText(`${shown} records loaded.`)).toBeVisible();
  }
});
