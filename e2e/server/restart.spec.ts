import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { E2E_ACCOUNTS_ENV } from '../support/data';
import { signInToServer } from '../support/server';
import { expect, test } from '../support/test';
import { createToken } from '../support/tokens';

/**
 * The server stops while the console is open, and comes back. This spec runs a server of its own (on a
 * port the system picks, then the same port again), so that stopping it disturbs no other spec.
 */

const DATA = `test-results/restart-data-${process.pid}`;

/** Starts the real server on `port` (0: any free port); resolves with its address once it listens. */
async function startServer(port = 0): Promise<{ process: ChildProcess; origin: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/main.ts',
      '--port',
      String(port),
      '--db',
      `${DATA}/console.db`,
      '--log',
      `${DATA}/console.log`,
    ],
    {
      env: { ...process.env, ...E2E_ACCOUNTS_ENV },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Read on until it exits: a closed pipe would stop the server at its next line of output.
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const address = /API Token Console: (http:\/\/[^/\s]+)\//.exec(output);
      if (address) resolve(address[1]!);
    });
    child.on('exit', () => reject(new Error(`The server did not start:\n${output}`)));
  });
  return { process: child, origin };
}

async function stopServer(child: ChildProcess) {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

let server: { process: ChildProcess; origin: string } | undefined;
test.beforeAll(() => rmSync(DATA, { recursive: true, force: true }));
test.afterAll(async () => {
  if (server?.process.exitCode === null) await stopServer(server.process);
  rmSync(DATA, { recursive: true, force: true });
});

test('when the server stops, the console says it is unreachable and keeps its navigation; Reload works once it is back', async ({
  page,
  consoleProblems,
}) => {
  test.setTimeout(120_000);
  // What the browser reports while the server is down.
  consoleProblems.expect(/net::ERR_CONNECTION_REFUSED/);
  consoleProblems.expect(/Failed to fetch dynamically imported module/);
  server = await startServer();
  const port = new URL(server.origin).port;

  await signInToServer(page, '/tokens/mine', 'admin', server.origin);
  // A token created is an audit record, which the Audit Log then checks for newer ones every few seconds.
  await createToken(page, { description: 'Restart test' });
  await page.getByRole('dialog', { name: 'Token created' }).getByRole('button', { name: 'Done' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Audit Log' }).click();
  await expect(page.getByRole('table', { name: 'Audit records' })).toContainText('API token created');

  await stopServer(server.process);

  // The Audit Log's live refresh fails: the notification whose code was never loaded says so, the page stays.
  await expect(page.getByRole('alert').filter({ hasText: "Can't reach the server" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('heading', { level: 1, name: 'Audit Log' })).toBeVisible();

  // A page not opened yet cannot load: it says why, with Reload, and the navigation stays.
  await nav.getByRole('link', { name: 'Logging' }).click();
  const pageError = page.getByRole('main').getByRole('alert');
  await expect(pageError).toContainText("Can't reach the server");
  await expect(nav.getByRole('link')).toHaveText([
    'Overview',
    'Settings',
    'API Tokens',
    'Audit Log',
    'Logging',
  ]);

  // The server is back (same address, same database and session): Reload opens the page.
  server = await startServer(Number(port));
  await pageError.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logging' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Loggers' })).toBeVisible();
});
