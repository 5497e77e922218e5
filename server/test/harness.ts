/**
 * The real server for HTTP tests: `createServerApp` on SQLite or PostgreSQL (a database of its own in
 * the run's throwaway cluster: test/postgres.ts), served by @hono/node-server on loopback, called
 * through real HTTP with the global fetch (sign-in cookies kept by a tiny cookie jar).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, expect } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import type { AuditRecord } from '../../contract/audit';
import type { Settings, SettingsInput } from '../../contract/settings';
import type { CreatedToken, Token } from '../../contract/tokens';
import { testServer as mswServer } from '../../src/test/server';
import { applyStartLevels } from '../../backend/routes/logging';
import { ensureFirstStart } from '../accounts';
import { createServerApp, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../app';
import { parseStartLevels } from '../log-levels';
import { openServerStore, type ServerDatabase } from '../store/open';
import { PostgresStore } from '../store/postgres/postgres-store';
import { createTestDatabase } from './postgres';

export const PASSWORDS = {
  ATC_ADMIN_PASSWORD: 'admin-pw',
  ATC_AUDITOR_PASSWORD: 'auditor-pw',
  ATC_USER_PASSWORD: 'user-pw',
};
export const NODE_ID = 'node-1';
export const AUTH_SERVICE_LOGGER = 'de.resolution.apitokenauth.ApiTokenAuthenticationService';
/** The servers under test are configured to write the app's INFO lines (`--log-level …=INFO`). */
export const START_LEVELS = parseStartLevels(['de.resolution.apitokenauth=INFO']);

// ---------------------------------------------------------------------------------------------
// The server and a tiny HTTP client.

/** The server's databases: the HTTP tests of what depends on the store run on both. */
export const DATABASES = ['SQLite', 'PostgreSQL'] as const;
export type Database = (typeof DATABASES)[number];

export interface RunningServer {
  base: string;
  /** The server's app itself: requests that no socket on loopback can make (an https:// URL). */
  app: ReturnType<typeof createServerApp>['app'];
  store: ServerDatabase;
  dir: string;
  /** The SQLite file, or the PostgreSQL database's URL. */
  database: string;
  logPath: string;
  /** What the server echoed of its log (to stdout, outside tests). */
  echoed: string[];
  /** Stops the server; `keepData` leaves its database and log for a restart on them. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Starts a server as server/main.ts does: on a new data folder and database, or again on those of
 * `restartOf`.
 */
export async function startServer(
  trustedProxies: string[],
  restartOf?: Pick<RunningServer, 'dir' | 'database'>,
  /** `now`: the server's clock (default: the real one); `database`: SQLite unless said. */
  options: { now?: () => Date; database?: Database } = {},
): Promise<RunningServer> {
  const dir = restartOf?.dir ?? mkdtempSync(join(tmpdir(), 'atc-server-test-'));
  const database =
    restartOf?.database ??
    (options.database === 'PostgreSQL' ? await createTestDatabase() : join(dir, 'db.sqlite'));
  const logPath = join(dir, 'console.log');
  const store = await openServerStore(database, [NODE_ID]);
  await ensureFirstStart(store, PASSWORDS);
  await applyStartLevels(store, START_LEVELS, new Date(), NODE_ID);
  const echoed: string[] = [];
  const { app } = createServerApp({
    store,
    logFile: logPath,
    nodeId: NODE_ID,
    trustedProxies,
    echoLog: (lines) => void echoed.push(lines),
    now: options.now,
  });
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server: server as Server, port: info.port }),
    );
  });
  return {
    base: `http://127.0.0.1:${port}`,
    app,
    store,
    dir,
    database,
    logPath,
    echoed,
    async close({ keepData = false } = {}) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the server's database holds, as bytes: SQLite's main file, write-ahead log and shared memory
 * file; every row of every PostgreSQL table as text.
 */
export async function storedBytes(server: RunningServer): Promise<[string, Buffer][]> {
  if (!(server.store instanceof PostgresStore)) {
    const { database } = server;
    return [database, `${database}-wal`, `${database}-shm`]
      .filter((file) => existsSync(file))
      .map((file) => [file, readFileSync(file)]);
  }
  const { pool } = server.store;
  const tables = await pool.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
  );
  const stored: [string, Buffer][] = [];
  for (const { name } of tables.rows) {
    const rows = await pool.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
    stored.push([`table ${name}`, Buffer.from(rows.rows.map((r) => r.row).join('\n'))]);
  }
  return stored;
}

/** The cookies a browser would keep for this server (name → value). */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines of the last response that set any. */
  lastSetCookie: string[] = [];

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  take(response: Response): void {
    const lines = response.headers.getSetCookie();
    if (lines.length > 0) this.lastSetCookie = lines;
    for (const line of lines) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /;\s*max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export interface CallOptions {
  method?: string;
  jar?: CookieJar;
  /** Sends the jar's CSRF cookie value in the CSRF header (what the console does). */
  csrf?: boolean;
  json?: unknown;
  headers?: Record<string, string>;
  body?: BodyInit;
}

export async function call(
  server: RunningServer,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.jar && options.jar.cookies.size > 0) headers.cookie = options.jar.header();
  if (options.csrf && options.jar) headers[CSRF_HEADER] = options.jar.cookies.get(CSRF_COOKIE) ?? '';
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${server.base}${path}`, { method: options.method ?? 'GET', headers, body });
  options.jar?.take(response);
  return response;
}

export const api = (path: string) => `${BASE_PATH}${path}`;
export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
export const basic = (username: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`,
});

export async function signIn(
  server: RunningServer,
  username = 'admin',
  password = 'admin-pw',
): Promise<CookieJar> {
  const jar = new CookieJar();
  const response = await call(server, api('/session'), {
    method: 'POST',
    jar,
    json: { username, password },
  });
  expect(response.status).toBe(204);
  return jar;
}

/**
 * The version the settings ETag names, as If-Match wants it (strong). The server may answer a weak
 * W/"settings-vN" (see the BUG test "saves the settings with the ETag its GET answered"); the
 * scenarios that merely need a settings change are not about that.
 */
export const ifMatchOf = (response: Response) => (response.headers.get('etag') ?? '').replace(/^W\//, '');

/** GET the settings, change them, PUT the whole document back (If-Match, CSRF). */
export async function changeSettings(
  server: RunningServer,
  jar: CookieJar,
  change: (settings: SettingsInput) => void,
): Promise<Settings> {
  const current = await call(server, api('/settings'), { jar });
  expect(current.status).toBe(200);
  const etag = ifMatchOf(current);
  const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = (await current.json()) as Settings;
  change(input);
  const saved = await call(server, api('/settings'), {
    method: 'PUT',
    jar,
    csrf: true,
    json: input,
    headers: { 'if-match': etag },
  });
  expect(saved.status).toBe(200);
  return (await saved.json()) as Settings;
}

export async function createToken(
  server: RunningServer,
  jar: CookieJar,
  input: { description: string; scope?: Token['scope'] },
): Promise<CreatedToken> {
  const response = await call(server, api('/tokens'), {
    method: 'POST',
    jar,
    csrf: true,
    json: {
      description: input.description,
      scope: input.scope ?? 'READ_WRITE',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      ipRestrictions: [],
    },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as CreatedToken;
}

export async function auditRecords(
  server: RunningServer,
  jar: CookieJar,
  query: Record<string, string>,
): Promise<AuditRecord[]> {
  const response = await call(server, api(`/audit/records?${new URLSearchParams(query)}`), { jar });
  expect(response.status).toBe(200);
  return ((await response.json()) as { records: AuditRecord[] }).records;
}

export async function myTokens(server: RunningServer, jar: CookieJar): Promise<Token[]> {
  const response = await call(server, api('/tokens'), { jar });
  expect(response.status).toBe(200);
  return ((await response.json()) as { tokens: Token[] }).tokens;
}

export const sessionCookieLine = (jar: CookieJar) =>
  jar.lastSetCookie.find((line) => line.startsWith(`${SESSION_COOKIE}=`)) ?? '';
export const csrfCookieLine = (jar: CookieJar) =>
  jar.lastSetCookie.find((line) => line.startsWith(`${CSRF_COOKIE}=`)) ?? '';

/**
 * MSW (src/test/setup.ts) routes every request to /rest/… of the global fetch to the demo backend: a
 * file that talks to a real server turns interception off while it runs.
 */
export function withoutMsw(): void {
  let mswWasListening = false;
  beforeAll(() => {
    const patchedFetch = globalThis.fetch;
    mswServer.close();
    mswWasListening = globalThis.fetch !== patchedFetch;
  });
  afterAll(() => {
    if (mswWasListening) mswServer.listen({ onUnhandledRequest: 'error' });
  });
}
