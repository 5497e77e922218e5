import { expect, type Page } from '@playwright/test';

export const BASIC_GATE = 'Disable basic authentication with regular passwords';
export const BASIC_ATTEMPTS = 'Audit-log failed API token basic authentication attempts';

export async function openSettingsTab(page: Page, tab: 'Authentication' | 'Permissions' | 'Audit Logging') {
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  await expect(page.getByRole('tab', { name: new RegExp(`^${tab}`) })).toHaveAttribute(
    'aria-selected',
    'true',
  );
}

export async function saveSettings(page: Page) {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Settings saved', { exact: true })).toBeVisible();
}

/** The id of the newest audit record of one event, read through the API (as any REST client would). */
export async function newestAuditRecordId(page: Page, summary: string): Promise<string | null> {
  return page.evaluate(async (event) => {
    const query = `summary=${encodeURIComponent(event)}&limit=1`;
    const response = await fetch(`/rest/api-token-auth/1.0/audit/records?${query}`);
    const body = (await response.json()) as { records: { id: string }[] };
    return body.records[0]?.id ?? null;
  }, summary);
}

export async function sendDemoTraffic(page: Page) {
  const summaries = page.getByText(/^Sent \d+ demo requests$/);
  const before = await summaries.count();
  await page.getByRole('button', { name: 'Send demo traffic' }).click();
  await expect(summaries).toHaveCount(before + 1);
}
