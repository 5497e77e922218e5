import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  readdirSync,
  renameSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  API,
  changeSettings,
  createToken,
  dataFolder,
  failedStart,
  killStartedServers,
  removeDataFolders,
  signedIn,
  startServerProcess,
  stopServer,
} from '../../scripts/server-process';

/**
 * The server as a process: stopped with signals, started twice on one database, on a file it cannot
 * write, with its log file rotated under it. Each test runs servers of its own (port 0, own folder).
 */

/** Lines on stderr that belong to a stack trace. */
const STACK_LINE = /^\s+at /m;

test.describe.configure({ mode: 'parallel' });
test.afterEach(() => {
  killStartedServers();
  removeDataFolders();
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} under load: every answered request's audit record is stored, exit 0, the database freed`, async () => {
    test.setTimeout(120_000);
    const dir = dataFolder();
    const server = await startServerProcess({ dir });
    const admin = await signedIn(server);
    await changeSettings(admin, (settings) => {
      settings.auditLogging!.successfulAuthentication = true;
    });
    const secret = await createToken(admin);

    // Until the server goes away: four clients use the token (each 200 is an answered request), and
    // two more send wrong passwords for a user (work for the password hashing, as an attacker makes it).
    let answered = 0;
    const untilGone = (send: () => Promise<Response>, count: (response: Response) => void) => async () => {
      for (;;) {
        try {
          const response = await send();
          await response.arrayBuffer();
          count(response);
        } catch {
          return; // the server closed the connection, or no longer listens
        }
      }
    };
    const tokenClient = untilGone(
      () => fetch(`${server.base}/rest/api/2/myself`, { headers: { authorization: `Bearer ${secret}` } }),
      (response) => {
        if (response.status === 200) answered++;
      },
    );
    let guess = 0;
    const passwordGuesser = untilGone(
      () =>
        fetch(`${server.base}/rest/api/2/myself`, {
          headers: { authorization: `Basic ${btoa(`user:guess-${guess++}`)}` },
        }),
      () => {},
    );
    const clients = Promise.all([
      tokenClient(),
      tokenClient(),
      tokenClient(),
      tokenClient(),
      passwordGuesser(),
    ]);
    await expect.poll(() => answered, { timeout: 30_000 }).toBeGreaterThan(50);
    expect(await stopServer(server, signal)).toBe(0);
    await clients;

    // Nothing left behind: no lock file, and the WAL checkpointed into the file on close.
    expect(readdirSync(dir).sort()).toEqual(['console.db', 'console.log']);
    const again = await startServerProcess({ dir });
    try {
      const auditor = await signedIn(again, 'auditor');
      const exported = await auditor.call(
        `${API}/audit/export?format=jsonl&summary=${encodeURIComponent('Successful authentication')}`,
      );
      const stored = (await exported.text()).trimEnd().split('\n').filter(Boolean).length;
      expect(stored).toBeGreaterThanOrEqual(answered);
    } finally {
      await stopServer(again);
    }
  });
}

test('a second server on the same database, through a symlink or a hard link, refuses to start with one line', async () => {
  test.setTimeout(120_000);
  const dir = dataFolder();
  const first = await startServerProcess({ dir });
  const db = join(dir, 'console.db');
  symlinkSync(db, join(dir, 'symlink.db'));
  linkSync(db, join(dir, 'hardlink.db'));
  try {
    for (const name of ['symlink.db', 'hardlink.db']) {
      const second = await failedStart({ dir: dataFolder(), db: join(dir, name) });
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(
        `Another server process uses ${join(dir, name)}. Run one server per database file, or give this one its own --db.\n`,
      );
    }
    // The first one still serves.
    expect((await fetch(`${first.base}/health`)).status).toBe(200);
  } finally {
    expect(await stopServer(first)).toBe(0);
  }
  // Once it stopped, the file is free, by any of its names.
  const next = await startServerProcess({ dir: dataFolder(), db: join(dir, 'symlink.db') });
  expect(await stopServer(next)).toBe(0);
});

test('a read-only database file stops the start with one line and exit code 2, leaving nothing behind', async () => {
  const dir = dataFolder();
  expect(await stopServer(await startServerProcess({ dir }))).toBe(0);
  const db = join(dir, 'console.db');
  chmodSync(db, 0o444);
  chmodSync(dir, 0o777);
  const before = readdirSync(dir).sort();
  // As root no permission stops a write: the server runs as "nobody" then.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const start = await failedStart({ dir, ...asUser });
  expect(start.code).toBe(2);
  expect(start.stderr).toBe(
    `Cannot write ${db} (EACCES): the server needs to write its database ${db}. Make it writable for this user, or give another --db.\n`,
  );
  expect(start.stderr).not.toMatch(STACK_LINE);
  expect(readdirSync(dir).sort()).toEqual(before);
});

test('SIGHUP after logrotate moved the log file away: the server writes a new file at the path at once', async () => {
  const dir = dataFolder();
  const log = join(dir, 'console.log');
  const server = await startServerProcess({ dir, args: ['--log-level', 'de.resolution.apitokenauth=INFO'] });
  try {
    const admin = await signedIn(server);
    const secret = await createToken(admin);
    renameSync(log, `${log}.1`);
    server.child.kill('SIGHUP');
    await expect.poll(() => existsSync(log)).toBe(true);
    const used = await fetch(`${server.base}/rest/api/2/myself`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(used.status).toBe(200);
    const entries = await admin.call(`${API}/logging/entries?q=${encodeURIComponent('Process test token')}`);
    expect(((await entries.json()) as { entries: unknown[] }).entries.length).toBeGreaterThan(0);
  } finally {
    expect(await stopServer(server)).toBe(0);
  }
});

test('a full disk (a real 8 MiB tmpfs): 503 problem+json, the reason on stderr and in /health, and writing again once there is space, without a restart', async () => {
  test.setTimeout(120_000);
  const dir = dataFolder();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    test.skip(
      true,
      'Mounting a tmpfs needs root (server/store/sqlite-store.test.ts runs the same recovery with SQLITE_FULL from SQLite itself).',
    );
  }
  try {
    const server = await startServerProcess({ dir });
    const admin = await signedIn(server);
    await changeSettings(admin, (settings) => {
      settings.auditLogging!.successfulAuthentication = true;
    });
    const secret = await createToken(admin);
    const callWithToken = () =>
      fetch(`${server.base}/rest/api/2/myself`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await callWithToken()).status).toBe(200);

    // Fill the file system.
    const fillers: string[] = [];
    try {
      for (;;) {
        const filler = join(dir, `filler-${fillers.length}`);
        writeFileSync(filler, Buffer.alloc(64 * 1024));
        fillers.push(filler);
      }
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    // The WAL may still have room for some records: use the token until a request cannot be stored.
    let refused: Response | undefined;
    for (let i = 0; i < 5_000 && !refused; i++) {
      const response = await callWithToken();
      if (response.status !== 200) refused = response;
      else await response.arrayBuffer();
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused?.json()).toMatchObject({
      status: 503,
      detail: 'The server cannot store anything: its disk is full. Try again later.',
    });
    const health = await fetch(`${server.base}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'unavailable',
      problems: [{ part: 'database', reason: 'the disk is full (SQLITE_FULL)' }],
    });
    expect(server.stderr()).toMatch(
      /^Cannot write the database .*console\.db: the disk is full \(SQLITE_FULL\)/m,
    );

    // Space again (less than the WAL took): the server writes again by itself.
    for (const filler of fillers.slice(0, Math.ceil(fillers.length / 4))) unlinkSync(filler);
    await expect
      .poll(async () => (await fetch(`${server.base}/health`)).status, { timeout: 30_000 })
      .toBe(200);
    expect((await callWithToken()).status).toBe(200);
    expect(server.stderr()).toMatch(/^Writing the database .*console\.db again/m);
    expect(await stopServer(server)).toBe(0);
  } finally {
    killStartedServers();
    execFileSync('umount', [dir]);
  }
});
