/**
 * The benchmark's child processes: the server (the real server on a SQLite file or a PostgreSQL
 * database) and the seeder, the messages between them and the parent, and where the databases are.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { serve } from '@hono/node-server';
import { generateDemoData } from '../../mocks/seed/generate';
import { applyStartLevels } from '../../backend/routes/logging';
import { ensureFirstStart } from '../../server/accounts';
import { createServerApp } from '../../server/app';
import { parseStartLevels } from '../../server/log-levels';
import { hashPassword } from '../../server/passwords';
import { databaseLocation, isPostgresUrl, openServerStore } from '../../server/store/open';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { startThrowawayPostgres } from '../../server/test/throwaway-postgres';
import { ADMIN_PASSWORD, CHILD_START_TIMEOUT_MS, NODE_ID, SCRIPT, type DatabaseKind } from './config';

/** Where the run's databases are: SQLite files in a folder, or databases of a throwaway PostgreSQL. */
export interface BenchDatabases {
  kind: DatabaseKind;
  /** A new, empty database: its file or URL. */
  create(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function benchDatabases(kind: DatabaseKind, dir: string): Promise<BenchDatabases> {
  if (kind === 'SQLite') {
    return { kind, create: async (name) => join(dir, `${name}.sqlite`), stop: async () => {} };
  }
  // Durable, as an installation runs it (fsync on): the cluster's data in a folder of its own.
  const postgres = await startThrowawayPostgres({ durable: true });
  return {
    kind,
    async create(name) {
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(postgres.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: () => postgres.stop(),
  };
}

/** The arguments and environment that give a child its database: a URL (it holds a password) by environment. */
function databaseFor(location: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return isPostgresUrl(location)
    ? { args: [], env: { ...process.env, ATC_DATABASE_URL: location } }
    : { args: ['--db', location], env: process.env };
}

/** The size of the database: its file, or what PostgreSQL reports. */
async function databaseBytes(store: Awaited<ReturnType<typeof openServerStore>>, location: string) {
  if (!(store instanceof PostgresStore)) return statSync(location).size;
  const { rows } = await store.pool.query<{ bytes: string }>(
    'SELECT pg_database_size(current_database()) AS bytes',
  );
  return Number(rows[0]!.bytes);
}

type ToServer = { type: 'sample-start' } | { type: 'sample-stop' } | { type: 'rss' } | { type: 'cpu' };
type FromChild =
  | { type: 'listening'; port: number }
  | { type: 'samples'; samples: number[] }
  | { type: 'rss'; rss: number }
  /** CPU time of the server process so far, in microseconds (user + system). */
  | { type: 'cpu'; micros: number }
  | { type: 'seeded'; ms: number; generateMs: number; records: number; dbBytes: number };

export const send = (message: FromChild) =>
  new Promise<void>((done) => {
    if (process.send) process.send(message, () => done());
    else done();
  });

/** The server process: the real server on its database, quiet (no stdout echo of log lines). */
export async function runServer(args: { db: string | undefined; log: string; firstStart: boolean }) {
  const store = await openServerStore(databaseLocation(args.db, process.env), [NODE_ID]);
  if (args.firstStart) await ensureFirstStart(store, { ATC_ADMIN_PASSWORD: ADMIN_PASSWORD });
  // The default logging configuration, as `npm run serve` starts with it.
  await applyStartLevels(store, parseStartLevels([]), new Date(), NODE_ID);
  const { app } = createServerApp({
    store,
    logFile: args.log,
    nodeId: NODE_ID,
    trustedProxies: [],
    echoLog: () => {},
    logEntriesInDatabase: store instanceof PostgresStore,
  });
  const server = await new Promise<Server>((done) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      void send({ type: 'listening', port: info.port });
      done(s as Server);
    });
  });

  let samples: number[] = [];
  let sampler: NodeJS.Timeout | undefined;
  process.on('message', (message: ToServer) => {
    if (message.type === 'sample-start') {
      samples = [process.memoryUsage().rss];
      sampler = setInterval(() => samples.push(process.memoryUsage().rss), 50);
      void send({ type: 'rss', rss: samples[0]! });
    } else if (message.type === 'sample-stop') {
      clearInterval(sampler);
      samples.push(process.memoryUsage().rss);
      void send({ type: 'samples', samples });
    } else if (message.type === 'rss') {
      void send({ type: 'rss', rss: process.memoryUsage().rss });
    } else if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      void send({ type: 'cpu', micros: user + system });
    }
  });
  process.on('disconnect', () => {
    server.close();
    server.closeAllConnections();
    void Promise.resolve(store.close()).finally(() => process.exit(0));
  });
}

/** The seeder process: the demo data set with `count` audit records, and a password for admin. */
export async function runSeeder(args: { db: string | undefined; count: number }) {
  const location = databaseLocation(args.db, process.env);
  const now = new Date();
  const generateStart = performance.now();
  const data = generateDemoData({ now, auditRecordCount: args.count });
  const generateMs = performance.now() - generateStart;
  const store = await openServerStore(location, [NODE_ID]);
  const start = performance.now();
  await store.seed(data);
  const ms = performance.now() - start;
  await store.setPassword('admin', hashPassword(ADMIN_PASSWORD));
  // A retention period longer than the data set: no record is purged while the benchmark runs.
  const settings = await store.getSettings();
  const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = settings;
  input.auditLogging.retentionDays = 365;
  await store.saveSettings(input, settings.version, 'bench', now);
  const dbBytes = await databaseBytes(store, location);
  await store.close();
  await send({ type: 'seeded', ms, generateMs, records: data.auditRecords.length, dbBytes });
}

/** A child on the database at `location` (a file or a URL). */
export function startChild(
  args: string[],
  location: string,
  options: { heapMb?: number } = {},
): ChildProcess {
  const execArgv = [...process.execArgv];
  if (options.heapMb) execArgv.push(`--max-old-space-size=${options.heapMb}`);
  const database = databaseFor(location);
  return fork(SCRIPT, [...args, ...database.args], {
    execArgv,
    env: database.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next message of this type from the child (bounded by `timeoutMs`). */
export function nextMessage<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      cleanup();
      fail(new Error(`No "${type}" message from the child within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: FromChild) => {
      if (message.type !== type) return;
      cleanup();
      done(message as Extract<FromChild, { type: T }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      fail(new Error(`The child exited (code ${code}) before sending "${type}"`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function askServer<T extends FromChild['type']>(
  child: ChildProcess,
  message: ToServer,
  reply: T,
): Promise<Extract<FromChild, { type: T }>> {
  const answer = nextMessage(child, reply, 10_000);
  child.send(message);
  return answer;
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

export async function startServerProcess(
  db: string,
  log: string,
  firstStart: boolean,
): Promise<ServerProcess> {
  const child = startChild(['server', '--log', log, ...(firstStart ? ['--first-start'] : [])], db);
  const { port } = await nextMessage(child, 'listening', CHILD_START_TIMEOUT_MS);
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.disconnect();
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
