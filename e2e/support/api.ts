import type { Page } from '@playwright/test';
import { BASE_PATH } from '../../contract/api';
import type { AuditRecord } from '../../contract/audit';
import { AuditRecordsQuerySchema, type AuditRecordsQuery } from '../../contract/audit-query';
import { urlParams } from '../../contract/url-params';

/**
 * The console's own API called from the page, with the page's session (as any REST client of the
 * console would, and through the demo's service worker in the demo).
 */
export async function callApi<T = unknown>(page: Page, path: string): Promise<{ status: number; body: T }> {
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }, `${BASE_PATH}${path}`);
}

/** Audit records matching `query`, newest first, read through the API. */
export async function auditRecords(page: Page, query: Partial<AuditRecordsQuery>): Promise<AuditRecord[]> {
  const { status, body } = await callApi<{ records: AuditRecord[] }>(
    page,
    `/audit/records?${urlParams(AuditRecordsQuerySchema, query)}`,
  );
  if (status !== 200) throw new Error(`Reading audit records answered ${status}`);
  return body.records;
}
