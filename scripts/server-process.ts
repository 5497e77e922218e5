import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real server as its own process, started with the command of `npm run serve:only` (so that a
 * signal reaches the process that npm would start), on a port of its own: for the e2e tests that
 * stop, kill and restart it or break its files (the `server` project's shared server cannot be
 * stopped under the other tests), and for bench:abuse.
 */

export const PASSWORDS = {
  admin: 'process-admin-pw',
  auditor: 'process-auditor-pw',
  user: 'process-user-pw',
};
export const API = '/rest/api-token-auth/1.0';

export interface ServerProcess {
  child: ChildProcess;
  /** Its address, once it listens. */
  base: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
}

const folders: string[] = [];

/** A folder for a server's database and log (deleted by `removeDataFolders`). */
export function dataFolder(): string {
  folders.push(mkdtempSync(join(tmpdir(), 'atc-process-')));
  return folders.at(-1)!;
}

/** Deletes the folders that `dataFolder` made (their servers stopped). */
export function removeDataFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export interface StartOptions {
  dir: string;
  /** The database file (default: console.db in `dir`). */
  db?: string;
  args?: string[];
  /** Run as this user and group (the tests run as root, whom no file permission stops). */
  uid?: number;
  gid?: number;
}

/** `npm run serve:only`'s command, word by word (its programs found as npm finds them). */
function serveCommand(): [string, string[]] {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const [program, ...words] = scripts['serve:only']!.split(' ');
  const local = join('node_modules', '.bin', program!);
  return [program === 'node' ? process.execPath : existsSync(local) ? local : program!, words];
}

function spawnServer({ dir, db, args = [], uid, gid }: StartOptions) {
  const [command, serveArgs] = serveCommand();
  const child = spawn(
    command,
    [
      ...serveArgs,
      '--port',
      '0',
      '--db',
      db ?? join(dir, 'console.db'),
      '--log',
      join(dir, 'console.log'),
      '--static',
      join(dir, 'no-console'),
      ...args,
    ],
    {
      env: {
        ...process.env,
        ATC_ADMIN_PASSWORD: PASSWORDS.admin,
        ATC_AUDITOR_PASSWORD: PASSWORDS.auditor,
        ATC_USER_PASSWORD: PASSWORDS.user,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own, which `killServer` ends whatever happened.
      detached: true,
      ...(uid !== undefined && { uid, gid }),
    },
  );
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Starts a server and waits until it listens. */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const started = spawnServer(options);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listening = /API Token Console: (http:\/\/\S+?)\/\n/.exec(started.stdout());
    if (listening) return { ...started, base: listening[1]! };
    const code = await Promise.race([started.exited, new Promise((done) => setTimeout(done, 50, 'running'))]);
    if (code !== 'running') {
      throw new Error(`The server ended (${String(code)}) before it listened:\n${started.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`The server did not listen within 30 s:\n${started.stderr()}`);
  }
}

/** Every server process started here (its process group). */
const started: ChildProcess[] = [];

/** Ends every server started so far and what it started, if still there (after each test, passed or not). */
export function killStartedServers(): void {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Ended already.
    }
  }
}

/** Starts a server that is expected not to start: its exit code and output. */
export async function failedStart(
  options: StartOptions,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const started = spawnServer(options);
  const code = await started.exited;
  return { code, stderr: started.stderr(), stdout: started.stdout() };
}

/** Stops the server with a signal; its exit code. */
export async function stopServer(
  server: ServerProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  server.child.kill(signal);
  return server.exited;
}

/** A signed-in API client of the server: `call` sends its cookies, and the CSRF header on changes. */
export async function signedIn(server: ServerProcess, username: keyof typeof PASSWORDS = 'admin') {
  const response = await fetch(`${server.base}${API}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORDS[username] }),
  });
  if (response.status !== 204) throw new Error(`Sign-in answered ${response.status}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
  const csrf = /atc_csrf=([^;]+)/.exec(cookie)?.[1] ?? '';
  const call = (
    path: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${server.base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(init.json !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  return { call };
}
export type SignedIn = Awaited<ReturnType<typeof signedIn>>;

/** Changes the settings as the console does (GET, change, PUT with If-Match). */
export async function changeSettings(
  client: SignedIn,
  change: (settings: Record<string, Record<string, unknown>>) => void,
): Promise<void> {
  const current = await client.call(`${API}/settings`);
  const etag = (current.headers.get('etag') ?? '').replace(/^W\//, '');
  const {
    version: _v,
    updatedAt: _a,
    updatedBy: _b,
    ...input
  } = (await current.json()) as Record<string, Record<string, unknown>>;
  change(input);
  const saved = await client.call(`${API}/settings`, {
    method: 'PUT',
    json: input,
    headers: { 'if-match': etag },
  });
  if (saved.status !== 200) throw new Error(`Saving the settings answered ${saved.status}`);
}

/** A new API token of the signed-in user: its secret. */
export async function createToken(client: SignedIn): Promise<string> {
  const response = await client.call(`${API}/tokens`, {
    method: 'POST',
    json: {
      description: 'Process test token',
      scope: 'READ_WRITE',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      ipRestrictions: [],
    },
  });
  if (response.status !== 201) throw new Error(`Creating a token answered ${response.status}`);
  return ((await response.json()) as { secret: string }).secret;
}
