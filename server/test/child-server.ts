import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_PATH } from '../../contract/api';
import { CSRF_COOKIE, CSRF_HEADER } from '../app';

export interface ChildServer {
  base: string;
  /** Ends the process at once (SIGKILL), as a crash or the kernel's OOM killer would. */
  kill(): Promise<void>;
  /** Starts the server again (after `kill`) on the same port, database and log. */
  restart(): Promise<void>;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * The real server as `npm run serve:only` starts it, in a child process: a free port, a fresh database
 * (a SQLite file in a new folder, or the given PostgreSQL URL) and log, the given first-start
 * passwords, and a built console in miniature (an index.html), so that what a client sees is what an
 * installation answers. `options.node`: the node id (a node of a cluster on the PostgreSQL URL).
 */
export async function startChildServer(
  passwords: Record<string, string>,
  postgresUrl?: string,
  options: { node?: string } = {},
): Promise<ChildServer> {
  const dir = mkdtempSync(join(tmpdir(), 'atc-child-server-'));
  const staticDir = join(dir, 'dist');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>API Token Console</title>');
  const spawnServer = (port: string) =>
    // Node itself (not the tsx binary, which runs it in a child): a signal reaches the server.
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/main.ts',
        ...[
          '--port',
          port,
          '--db',
          postgresUrl ?? join(dir, 'console.db'),
          '--log',
          join(dir, 'console.log'),
        ],
        ...(options.node ? ['--node', options.node] : []),
      ],
      {
        env: { ...process.env, ...passwords, ATC_STATIC_DIR: staticDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  let child = spawnServer('0');
  const base = await listeningAddress(child);
  const ended = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    return exited.then(() => {});
  };
  return {
    base,
    kill: () => ended('SIGKILL'),
    async restart() {
      child = spawnServer(new URL(base).port);
      await listeningAddress(child);
    },
    async stop() {
      await ended('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The address the server prints once it listens ("API Token Console: http://127.0.0.1:PORT/"). */
function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /API Token Console: (http:\/\/[^/\s]+)\//.exec(output);
      if (match) {
        child.stdout?.off('data', read);
        child.stdout?.resume();
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`The server stopped (exit ${code}) before it listened:\n${output}`)),
    );
  });
}

/** Signs the administrator in to the console: the headers of its session (cookie and CSRF token). */
export async function signInAdmin(base: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(`${base}${BASE_PATH}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (response.status !== 204) throw new Error(`Sign-in failed: ${response.status}`);
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`))!.slice(CSRF_COOKIE.length + 1);
  return { cookie: cookies.join('; '), [CSRF_HEADER]: csrf };
}
