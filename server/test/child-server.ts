import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_PATH } from '../../contract/api';
import { CSRF_COOKIE, CSRF_HEADER } from '../app';

export interface ChildServer {
  base: string;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * The real server as `npm run serve:only` starts it, in a child process: a free port, a fresh database
 * (a SQLite file in a new folder, or the given PostgreSQL URL) and log, the given first-start
 * passwords, and a built console in miniature (an index.html), so that what a client sees is what an
 * installation answers.
 */
export async function startChildServer(
  passwords: Record<string, string>,
  postgresUrl?: string,
): Promise<ChildServer> {
  const dir = mkdtempSync(join(tmpdir(), 'atc-child-server-'));
  const staticDir = join(dir, 'dist');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>API Token Console</title>');
  const child = spawn(
    join('node_modules', '.bin', 'tsx'),
    [
      'server/main.ts',
      ...['--port', '0', '--db', postgresUrl ?? join(dir, 'console.db'), '--log', join(dir, 'console.log')],
    ],
    {
      env: { ...process.env, ...passwords, ATC_STATIC_DIR: staticDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const base = await listeningAddress(child);
  return {
    base,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
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
