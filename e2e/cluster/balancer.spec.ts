import { expect, test } from '../support/test';
import { BASE_PATH } from '../../contract/api';
import type { LoggersResponse } from '../../contract/logging';
import { auditRecords } from '../support/api';
import { BALANCER, BALANCER_PROXY_ADDRESS } from '../support/cluster';
import { signInToServer } from '../support/server';
import { createToken } from '../support/tokens';

test('behind nginx: the console works through the balancer, a token reaches both nodes, records name the client', async ({
  page,
  request,
}) => {
  // Signed in through the balancer, which sends each request to either node (no sticky sessions).
  await signInToServer(page, '/tokens', 'admin', BALANCER);
  const secret = await createToken(page, { description: 'E2E balancer' });
  await page.getByRole('dialog', { name: 'Token created' }).getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('row', { name: /E2E balancer/ })).toBeVisible();

  await page.goto(`${BALANCER}/logging/levels`);
  const nodes = page.getByRole('table', { name: 'Cluster nodes' });
  await expect(nodes.getByRole('row', { name: /node-1( \(this node\))? Up/ })).toBeVisible();
  await expect(nodes.getByRole('row', { name: /node-2( \(this node\))? Up/ })).toBeVisible();

  // The token's requests, round robin: both nodes answer them.
  const answeredBy = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const response = await request.get(`${BALANCER}${BASE_PATH}/logging/loggers`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(response.status()).toBe(200);
    answeredBy.add(((await response.json()) as LoggersResponse).thisNode);
  }
  expect([...answeredBy].sort()).toEqual(['node-1', 'node-2']);

  // The nodes trust the balancer: the token's creation names the browser's address, and nginx as proxy.
  const [created] = await auditRecords(page, { summary: ['API token created'], q: 'E2E balancer' });
  expect(created?.source).toMatchObject({ clientIp: '127.0.0.1', proxyIp: BALANCER_PROXY_ADDRESS });
});
