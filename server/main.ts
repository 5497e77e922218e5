/**
 * `npm run serve`: the console and the real backend on one port, data in a SQLite file or PostgreSQL.
 *
 *   --port N             or PORT                 (default 8080)
 *   --host H             or HOST                 (default 127.0.0.1)
 *   --db PATH|URL        or ATC_DATABASE_URL     (a postgres://user@host/db URL: PostgreSQL)
 *                        or ATC_DB               (default data/api-token-console.db: a SQLite file)
 *   --log PATH           or ATC_LOG_FILE         (default data/api-token-console.log)
 *   --node ID            or ATC_NODE_ID          (default node-1)
 *   --trusted-proxy A    or ATC_TRUSTED_PROXIES  (comma-separated addresses or CIDR ranges)
 *   --static DIR         or ATC_STATIC_DIR       (default dist, the built console)
 *   --log-level L=LEVEL  or ATC_LOG_LEVELS       (the levels every start begins with, e.g.
 *                                                 de.resolution.apitokenauth=INFO; repeatable /
 *                                                 comma-separated; default ROOT=WARN)
 * First start: ATC_ADMIN_PASSWORD, ATC_AUDITOR_PASSWORD, ATC_USER_PASSWORD, or generated and printed.
 */
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { applyStartLevels } from '../backend/routes/logging';
import { ensureFirstStart } from './accounts';
import { createServerApp } from './app';
import { startClusterNode } from './cluster/cluster-node';
import { sharedFailureCounts } from './cluster/shared-failure-counter';
import { SharedRateLimiter } from './cluster/shared-rate-limiter';
import { parseStartLevels, startLevelSpecs } from './log-levels';
import { databaseLocation, describeLocation, openServerStore } from './store/open';
import { PostgresStore } from './store/postgres/postgres-store';
import { SqliteStore } from './store/sqlite-store';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    log: { type: 'string' },
    node: { type: 'string' },
    'trusted-proxy': { type: 'string', multiple: true },
    static: { type: 'string' },
    'log-level': { type: 'string', multiple: true },
  },
});
const env = process.env;
const port = Number(values.port ?? env.PORT ?? 8080);
const host = values.host ?? env.HOST ?? '127.0.0.1';
const database = databaseLocation(values.db, env);
const logPath = resolve(values.log ?? env.ATC_LOG_FILE ?? 'data/api-token-console.log');
const nodeId = values.node ?? env.ATC_NODE_ID ?? 'node-1';
const trustedProxies = [...(values['trusted-proxy'] ?? []), ...(env.ATC_TRUSTED_PROXIES ?? '').split(',')]
  .map((s) => s.trim())
  .filter(Boolean);
const staticDir = resolve(values.static ?? env.ATC_STATIC_DIR ?? 'dist');

/** What a start step returns; if it cannot be done, its message and exit code 2 (nothing else runs). */
function orStop<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${values.port ?? env.PORT}`);
  process.exit(2);
}
const startLevels = orStop(() =>
  parseStartLevels(startLevelSpecs(values['log-level'] ?? [], env.ATC_LOG_LEVELS)),
);

// A SQLite file is this process's alone while it runs (SqliteStore.open: SQLite's exclusive lock).
const store = await openServerStore(database, [nodeId]).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(2);
});
const created = await ensureFirstStart(store, env);
if (created.length > 0) {
  console.log('First start: created these accounts (the passwords are shown only now):');
  for (const account of created) {
    console.log(
      `  ${account.username.padEnd(8)} ${account.generated ? account.password : '(password from the environment)'}`,
    );
  }
}

// Levels set on the Logging page last until this restart: every start begins with the configured ones.
await applyStartLevels(store, startLevels, new Date(), nodeId);

// On PostgreSQL the server is a node of a cluster: tokens' requests are counted for the installation.
// (So are failed sign-ins: a guess sent to any node counts towards the lockout.)
const tokenLimiter = store instanceof PostgresStore ? new SharedRateLimiter(store.pool) : undefined;
const signInFailures = store instanceof PostgresStore ? sharedFailureCounts(store.pool) : undefined;
const {
  app,
  backend,
  logFile,
  shipper,
  store: cachedStore,
} = createServerApp({
  store,
  staticDir,
  logFile: logPath,
  nodeId,
  trustedProxies,
  logEntriesInDatabase: store instanceof PostgresStore,
  tokenLimiter,
  signInFailures,
});

// On PostgreSQL the server is a node of a cluster: it learns of the other nodes' changes before it
// serves, and joins (registers, heartbeats) once it listens.
const cluster =
  store instanceof PostgresStore && tokenLimiter
    ? await startClusterNode({
        url: database,
        store,
        cache: cachedStore,
        nodeId,
        applyLevelReverts: backend.applyLevelReverts,
        limiter: tokenLimiter,
      })
    : null;

// An HTTP/1.1 server (@hono/node-server's default), whose connections a stop closes.
const { server, address } = await new Promise<{ server: Server; address: string }>((listening) => {
  const server = serve({ fetch: app.fetch, port, hostname: host }, (info) =>
    listening({ server, address: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}/` }),
  ) as Server;
});
await cluster?.join(address);

// Retention job: audit records older than the period on the Audit Logging tab are purged hourly (the
// audit endpoints also purge before they answer), and expired sessions with them; in a cluster by one
// node at a time.
const DAY_MS = 86_400_000;
async function purgeExpired() {
  const now = Date.now();
  const { retentionDays } = (await cachedStore.getSettings()).auditLogging;
  await cachedStore.purgeAuditRecords(new Date(now - retentionDays * DAY_MS).toISOString());
  await store.purgeSessions(new Date(now));
}
const retention = setInterval(() => {
  store
    .exclusively('audit retention', purgeExpired)
    .catch((error: unknown) => console.error('Retention job failed', error));
}, 3_600_000);
retention.unref();

// logrotate's default (create) moves the file away and asks for a new one, as nginx is asked.
process.on('SIGHUP', () => logFile.reopen());

/** How long a stop waits for the requests under way (systemd's default stop timeout is 90 s). */
const STOP_WAIT_MS = 10_000;

/**
 * SIGTERM or SIGINT: no new connections; the requests under way are answered (their audit records
 * stored), then the last log lines and audit records are written, the database is closed (which
 * frees it for the next server) and the process ends with 0.
 */
async function stop(exitCode = 0): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  // Connections kept alive between requests are closed as soon as they are idle.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  await Promise.race([closed, new Promise((done) => setTimeout(done, STOP_WAIT_MS).unref())]);
  clearInterval(idle);
  server.closeAllConnections();
  logFile.close();
  await shipper?.idle();
  await cluster?.stop();
  await store.close();
  process.exit(exitCode);
}
let stopping = false;
// Any other way out (an uncaught error): the last log lines and audit records are still written.
process.on('exit', () => {
  if (stopping) return;
  logFile.flush();
  // SQLite writes what waits at once; PostgreSQL's writes cannot be waited for here (their requests
  // have not been answered).
  if (store instanceof SqliteStore && store.db.open) store.writePendingAuditRecords();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stop();
  });
}
// A node whose database went away comes back as itself, unless another process became that node
// meanwhile: then this one stops (exit 1), as it would have been refused at its start.
if (store instanceof PostgresStore) {
  store.onNodeTaken((message) => {
    console.error(`${message} This process stops.`);
    if (stopping) return;
    stopping = true;
    void stop(1);
  });
}

// The address last, once a stop is handled: whoever waits for it (a supervisor, a test) may send
// SIGTERM at once, and a signal without a handler would end the process without its stop.
console.log(`API Token Console: ${address}`);
console.log(`  node: ${nodeId}`);
console.log(`  data: ${describeLocation(database)}`);
console.log(`  log:  ${logPath}`);
