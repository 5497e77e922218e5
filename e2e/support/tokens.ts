import { expect, type Page } from '@playwright/test';
import type { AuditEvent } from '../../contract/audit';
import { auditRecords } from './api';

export interface NewToken {
  description: string;
  scope?: 'Read Only' | 'Read & Write';
}

/** Creates a token through the dialog; returns the secret shown once. The dialog stays open on the secret. */
export async function createToken(page: Page, token: NewToken): Promise<string> {
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Description').fill(token.description);
  if (token.scope) await dialog.getByRole('radio', { name: token.scope }).check();
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const created = page.getByRole('dialog', { name: 'Token created' });
  await expect(created).toBeVisible();
  return created.getByLabel('Your new API token').inputValue();
}

/** Calls the protected REST resource from the page, as any REST client would. */
export async function callMyself(page: Page, authorization: string): Promise<number> {
  return page.evaluate(async (header) => {
    const response = await fetch('/rest/api/2/myself', { headers: { authorization: header } });
    return response.status;
  }, authorization);
}

/** Every value in localStorage, sessionStorage and IndexedDB, as one string to search. */
export async function everythingInBrowserStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [];
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        parts.push(key, storage.getItem(key) ?? '');
      }
    }
    const databases = (await indexedDB.databases?.()) ?? [];
    for (const info of databases) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error(`Cannot open ${info.name}`));
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        });
        parts.push(JSON.stringify(values));
      }
      db.close();
    }
    return parts.join('\n');
  });
}

/** How many audit records of one event name the token `tokenId`. */
export async function auditRecordsOfToken(page: Page, tokenId: string, summary: AuditEvent): Promise<number> {
  const records = await auditRecords(page, { summary: [summary], limit: 50 });
  return records.filter((r) => r.details.tokenId === tokenId).length;
}
