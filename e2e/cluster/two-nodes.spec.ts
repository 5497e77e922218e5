import type { Response } from '@playwright/test';
import { expect, test } from '../support/test';
import { BASE_PATH } from '../../contract/api';
import type { LogEntriesPage } from '../../contract/logging';
import { callApi } from '../support/api';
import { rowAction } from '../support/console';
import { NODE_A, NODE_B } from '../support/cluster';
import { signInToServer } from '../support/server';
import { createToken } from '../support/tokens';

const APP_LOGGER = 'de.resolution.apitokenauth';

test('two nodes are one installation: a token revoked, rotated and a level set on node A act on node B, whose entries A shows', async ({
  page,
  request,
}) => {
  const call = async (node: string, secret: string) =>
    (
      await request.get(`${node}/rest/api/2/myself`, { headers: { authorization: `Bearer ${secret}` } })
    ).status();
  const callB = (secret: string) => call(NODE_B, secret);
  /** Milliseconds from now until node B refuses the secret (Infinity if it still works after 5 s). */
  const refusedOnBAfterMs = async (secret: string) => {
    const since = Date.now();
    while (Date.now() - since < 5_000) if ((await callB(secret)) === 401) return Date.now() - since;
    return Infinity;
  };
  const tokenCalls = (method: string) => (r: Response) =>
    r.request().method() === method && r.url().includes(`${BASE_PATH}/tokens/`);

  // The console on node A (node-1): two tokens.
  await signInToServer(page, '/tokens');
  const revoked = await createToken(page, { description: 'E2E cluster revoked' });
  await page.getByRole('dialog', { name: 'Token created' }).getByRole('button', { name: 'Done' }).click();
  let kept = await createToken(page, { description: 'E2E cluster kept' });
  await page.getByRole('dialog', { name: 'Token created' }).getByRole('button', { name: 'Done' }).click();

  // Node B knows them at once, and keeps the first in its cache.
  expect(await callB(revoked)).toBe(200);
  expect(await callB(revoked)).toBe(200);

  // Revoked on A: from A's 2xx, B refuses it within a second.
  await rowAction(page, 'E2E cluster revoked', 'Revoke…');
  const confirm = page.getByRole('alertdialog', { name: 'Revoke this token?' });
  const revokeAnswered = page.waitForResponse(tokenCalls('DELETE'));
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  expect((await revokeAnswered).ok()).toBe(true);
  expect(await refusedOnBAfterMs(revoked)).toBeLessThanOrEqual(1_000);
  expect(await callB(kept)).toBe(200);

  // Rotated on A with no grace period: B refuses the old secret within a second and takes the new one.
  await rowAction(page, 'E2E cluster kept', 'Rotate…');
  const rotate = page.getByRole('dialog', { name: 'Rotate this token?' });
  await rotate.getByRole('radio', { name: 'Immediately' }).check();
  const rotateAnswered = page.waitForResponse(tokenCalls('POST'));
  await rotate.getByRole('button', { name: 'Rotate token' }).click();
  expect((await rotateAnswered).ok()).toBe(true);
  expect(await refusedOnBAfterMs(kept)).toBeLessThanOrEqual(1_000);
  const rotated = page.getByRole('dialog', { name: 'Token rotated' });
  kept = await rotated.getByLabel('Your new API token').inputValue();
  await rotated.getByRole('button', { name: 'Done' }).click();
  expect(await callB(kept)).toBe(200);

  // The app's package to INFO on node B only, from node A's console.
  await page.goto('/logging/levels');
  const nodes = page.getByRole('table', { name: 'Cluster nodes' });
  await expect(nodes.getByRole('row', { name: /node-1 \(this node\) Up/ })).toBeVisible();
  await expect(nodes.getByRole('row', { name: /node-2 Up/ })).toBeVisible();
  await page.getByRole('button', { name: `Set level of ${APP_LOGGER}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Set the level of ${APP_LOGGER}` });
  await dialog.getByLabel('Level').selectOption('INFO');
  await dialog.getByLabel('Nodes').selectOption('node-2');
  await dialog.getByRole('button', { name: 'Set level' }).click();
  await expect(dialog).toBeHidden();
  const appRow = page.getByRole('table', { name: 'Loggers' }).getByRole('row').nth(2);
  await expect(appRow).toContainText('node-1: WARN (from ROOT)');
  await expect(appRow).toContainText('node-2: INFO');

  // B writes the authentication lines now (within a second), A does not.
  const entriesOf = async (node: string) =>
    (await callApi<LogEntriesPage>(page, `/logging/entries?node=${node}&q=E2E%20cluster%20kept`)).body
      .entries;
  await expect
    .poll(async () => {
      await callB(kept);
      return (await entriesOf('node-2')).length;
    })
    .toBeGreaterThan(0);
  expect(await call(NODE_A, kept)).toBe(200);
  expect(await entriesOf('node-1')).toEqual([]);

  // Node B's entries, read on node A's Log entries tab.
  await page.goto('/logging/entries?node=node-2');
  const table = page.getByRole('table', { name: /log entries/i });
  await expect(table.getByRole('row').filter({ hasText: 'E2E cluster kept' }).first()).toContainText(
    'node-2',
  );
  await page.getByLabel('Node').selectOption('node-1 (this node)');
  await expect(page.getByText('No log entries match')).toBeVisible();
});
