import { expect, type Page } from '@playwright/test';
import type { AuditEvent } from '../../contract/audit';
import { auditRecords } from './api';

export async function openSettingsTab(page: Page, tab: 'Authentication' | 'Permissions' | 'Audit Logging') {
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  await expect(page.getByRole('tab', { name: new RegExp(`^${tab}`) })).toHaveAttribute(
    'aria-selected',
    'true',
  );
}

/** The save bar's message after a save (it says so where the user pressed Save). */
export const settingsSavedMessage = (page: Page) => page.getByText(/^Settings saved\./);

export async function saveSettings(page: Page) {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(settingsSavedMessage(page)).toBeVisible();
}

/** The id of the newest audit record of one event, read through the API (as any REST client would). */
export async function newestAuditRecordId(page: Page, summary: AuditEvent): Promise<string | null> {
  return (await auditRecords(page, { summary: [summary], limit: 1 }))[0]?.id ?? null;
}

export async function sendDemoTraffic(page: Page) {
  const summaries = page.getByText(/^Sent \d+ demo requests$/);
  const before = await summaries.count();
  await page.getByRole('button', { name: 'Send demo traffic' }).click();
  await expect(summaries).toHaveCount(before + 1);
}
