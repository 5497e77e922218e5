import { expect, type Page } from '@playwright/test';
import { E2E_PASSWORDS, type ServerAccount } from './data';

/** Signs in through the real server's sign-in page (`origin`: another server than the project's); lands on `path`. */
export async function signInToServer(page: Page, path = '/', username: ServerAccount = 'admin', origin = '') {
  await page.goto(`${origin}/sign-in?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(E2E_PASSWORDS[username]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}
