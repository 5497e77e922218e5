/**
 * Measures the real server (`createServerApp` on SQLite, served by @hono/node-server on 127.0.0.1)
 * through real HTTP, in one run:
 *
 * a. token authentication throughput: requests per second of GET /rest/api/2/myself with a Bearer
 *    token against the REST API's unauthenticated GET …/health of the same server (and the server's
 *    own GET /health), as ratios, with autocannon as the load generator, with the
 *    successful-authentication audit option off and on, and the app logger at WARN (the default: it
 *    inherits the root logger's level) and at INFO (set by an administrator: two log file lines per
 *    success);
 * b. audit search: the first page (limit=100) of GET /audit/records over 1,000,000 seeded records,
 *    with several filters, p50/p95;
 * c. CSV export of the 1,000,000 records: rows per second, and the server's RSS before, at its peak
 *    and after the export (sampled every 50 ms), to show that the export streams.
 *
 * The server runs in a child process (a fork of this script), so that the load generator does not
 * share its event loop; the 1,000,000 records are generated and seeded by another child beforehand,
 * so that the server process starts with the database only. All load goes to 127.0.0.1; every loop
 * is bounded by time and every request by a timeout.
 *
 * Usage: npm run bench:server        Writes docs/bench-server.md.
 *        npm run bench:server -- --throughput-only   Part a. only, printed (no report written).
 * Environment (for quick trial runs): DURATION_MS (5000), WARMUP_MS (1000), CONCURRENCY (32),
 * AUDIT_RECORDS (1000000), SAMPLES (50).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { BASE_PATH } from '../contract/api';
import type { AuditRecord } from '../contract/audit';
import type { Settings, SettingsInput } from '../contract/settings';
import type { CreatedToken } from '../contract/tokens';
import { generateDemoData } from '../mocks/seed/generate';
import { applyStartLevels } from '../backend/routes/logging';
import { ensureFirstStart } from '../server/accounts';
import { createServerApp } from '../server/app';
import { MAX_SCAN_BYTES } from '../server/log-file';
import { parseStartLevels } from '../server/log-levels';
import { hashPassword } from '../server/passwords';
import { SqliteStore } from '../server/store/sqlite-store';
import { percentile } from './browser';
import { machine, machineLoad } from './machine';

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SCRIPT), '..');
const REPORT = join(ROOT, 'docs', 'bench-server.md');

const DURATION_MS = positiveInt(process.env.DURATION_MS, 5_000);
const WARMUP_MS = positiveInt(process.env.WARMUP_MS, 1_000);
const CONCURRENCY = positiveInt(process.env.CONCURRENCY, 32);
const AUDIT_RECORDS = positiveInt(process.env.AUDIT_RECORDS, 1_000_000);
const SAMPLES = positiveInt(process.env.SAMPLES, 50);

const TARGET_RATIO = 0.85;
const TARGET_SEARCH_P95_MS = 20;
/** "Flat": the server's RSS grows by less than this during the whole export. */
const FLAT_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

const ADMIN_PASSWORD = 'bench-admin-password';
const NODE_ID = 'node-1';
const APP_LOGGER = 'de.resolution.apitokenauth';
/** Upper bounds: nothing here may hang the benchmark. */
const REQUEST_TIMEOUT_MS = 30_000;
const EXPORT_TIMEOUT_MS = 300_000;
const SEED_TIMEOUT_MS = 600_000;
const CHILD_START_TIMEOUT_MS = 60_000;

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

// ---------------------------------------------------------------------------------------------
// Child processes: the server, and the seeder.
// ---------------------------------------------------------------------------------------------

type ToServer = { type: 'sample-start' } | { type: 'sample-stop' } | { type: 'rss' } | { type: 'cpu' };
type FromChild =
  | { type: 'listening'; port: number }
  | { type: 'samples'; samples: number[] }
  | { type: 'rss'; rss: number }
  /** CPU time of the server process so far, in microseconds (user + system). */
  | { type: 'cpu'; micros: number }
  | { type: 'seeded'; ms: number; generateMs: number; records: number; dbBytes: number };

const send = (message: FromChild) =>
  new Promise<void>((done) => {
    if (process.send) process.send(message, () => done());
    else done();
  });

/** The server process: the real server on a database file, quiet (no stdout echo of log lines). */
async function runServer(args: { db: string; log: string; firstStart: boolean }) {
  const store = SqliteStore.open(args.db, { nodes: [NODE_ID] });
  if (args.firstStart) await ensureFirstStart(store, { ATC_ADMIN_PASSWORD: ADMIN_PASSWORD });
  // The default logging configuration, as `npm run serve` starts with it.
  await applyStartLevels(store, parseStartLevels([]), new Date(), NODE_ID);
  const { app } = createServerApp({
    store,
    logFile: args.log,
    nodeId: NODE_ID,
    trustedProxies: [],
    echoLog: () => {},
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
    store.close();
    process.exit(0);
  });
}

/** The seeder process: the demo data set with `count` audit records, and a password for admin. */
async function runSeeder(args: { db: string; count: number }) {
  const now = new Date();
  const generateStart = performance.now();
  const data = generateDemoData({ now, auditRecordCount: args.count });
  const generateMs = performance.now() - generateStart;
  const store = SqliteStore.open(args.db, { nodes: [NODE_ID] });
  const start = performance.now();
  await store.seed(data);
  const ms = performance.now() - start;
  await store.setPassword('admin', hashPassword(ADMIN_PASSWORD));
  // A retention period longer than the data set: no record is purged while the benchmark runs.
  const settings = await store.getSettings();
  const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = settings;
  input.auditLogging.retentionDays = 365;
  await store.saveSettings(input, settings.version, 'bench', now);
  store.close();
  await send({
    type: 'seeded',
    ms,
    generateMs,
    records: data.auditRecords.length,
    dbBytes: statSync(args.db).size,
  });
}

function startChild(args: string[], options: { heapMb?: number } = {}): ChildProcess {
  const execArgv = [...process.execArgv];
  if (options.heapMb) execArgv.push(`--max-old-space-size=${options.heapMb}`);
  return fork(SCRIPT, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The next message of this type from the child (bounded by `timeoutMs`). */
function nextMessage<T extends FromChild['type']>(
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

async function askServer<T extends FromChild['type']>(
  child: ChildProcess,
  message: ToServer,
  reply: T,
): Promise<Extract<FromChild, { type: T }>> {
  const answer = nextMessage(child, reply, 10_000);
  child.send(message);
  return answer;
}

interface ServerProcess {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

async function startServerProcess(db: string, log: string, firstStart: boolean): Promise<ServerProcess> {
  const child = startChild(['server', '--db', db, '--log', log, ...(firstStart ? ['--first-start'] : [])]);
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

// ---------------------------------------------------------------------------------------------
// HTTP client: a session for the console API, and a load loop.
// ---------------------------------------------------------------------------------------------

class ConsoleSession {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async signIn(username: string, password: string) {
    const response = await this.call('POST', '/session', { username, password });
    if (response.status !== 204) throw new Error(`Sign-in failed: ${response.status}`);
  }

  /** `timeoutMs` bounds the whole exchange, the body included. */
  async call(
    method: string,
    path: string,
    json?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    const all: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) all.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('atc_csrf');
    if (csrf && method !== 'GET') all['x-csrf-token'] = csrf;
    if (json !== undefined) all['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${BASE_PATH}${path}`, {
      method,
      headers: all,
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }

  async json<T>(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<T> {
    const response = await this.call(method, path, json, headers);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async changeSettings(change: (settings: SettingsInput) => void) {
    const response = await this.call('GET', '/settings');
    // If-Match wants the strong ETag; the server may answer a weak W/"settings-vN" (compressed answers).
    const etag = (response.headers.get('etag') ?? '').replace(/^W\//, '');
    const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = (await response.json()) as Settings;
    change(input);
    await this.json('PUT', '/settings', input, { 'if-match': etag });
  }

  async setLoggerLevel(name: string, level: 'INFO' | 'WARN') {
    await this.json('PUT', `/logging/loggers/${encodeURIComponent(name)}`, { level });
  }

  /** Back to no level of its own: it inherits its ancestor's. */
  async resetLoggerLevel(name: string) {
    await this.json('DELETE', `/logging/loggers/${encodeURIComponent(name)}`);
  }
}

interface Run {
  latencies: number[];
  errors: number;
  elapsedMs: number;
}

/**
 * CONCURRENCY keep-alive connections send GET `url` back to back for `durationMs`, from autocannon:
 * a load generator that costs far less CPU per request than `fetch`, so that the server, not the
 * client, is what limits the throughput on this machine.
 */
async function load(url: string, headers: Record<string, string>, durationMs: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url,
        headers,
        connections: CONCURRENCY,
        duration: durationMs / 1000,
        timeout: REQUEST_TIMEOUT_MS / 1000,
      },
      (error: Error | null, finished: autocannon.Result) => (error ? fail(error) : done(finished)),
    );
    instance.on('response', (_client, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode !== 200) errors++;
    });
  });
  errors += result.errors + result.timeouts;
  return { latencies, errors, elapsedMs: performance.now() - start };
}

interface Target {
  url: string;
  headers: Record<string, string>;
}

interface Measurement {
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests of the warm-up and the measurement. */
  totalRequests: number;
  /** CPU time of the server process per request, and its share of one core, during the measurement. */
  serverCpuMicrosPerRequest: number;
  serverCpuShare: number;
  /** The load generator's (this process's) share of one core. */
  clientCpuShare: number;
}

const LOG_ENTRIES_SAMPLES = 20;

/** Length of one slice of a measurement: the targets take turns, so that drift hits them alike. */
const SLICE_MS = 1_000;

/**
 * A warm-up of every target, then DURATION_MS of measurement per target, taken in alternating
 * slices of SLICE_MS (A B B A A B …), each with the CPU time of the server process and of this one.
 */
async function measureAlternating(server: ServerProcess, targets: Target[]): Promise<Measurement[]> {
  const totals = targets.map(() => ({
    latencies: [] as number[],
    errors: 0,
    elapsedMs: 0,
    warmUpRequests: 0,
    serverMicros: 0,
    clientMicros: 0,
  }));
  for (const [i, target] of targets.entries()) {
    totals[i]!.warmUpRequests = (await load(target.url, target.headers, WARMUP_MS)).latencies.length;
  }
  const slices = Math.max(1, Math.round(DURATION_MS / SLICE_MS));
  for (let slice = 0; slice < slices; slice++) {
    const order = [...targets.keys()];
    if (slice % 2 === 1) order.reverse();
    for (const i of order) {
      const target = targets[i]!;
      const serverBefore = (await askServer(server.child, { type: 'cpu' }, 'cpu')).micros;
      const clientBefore = process.cpuUsage();
      const run = await load(target.url, target.headers, DURATION_MS / slices);
      const client = process.cpuUsage(clientBefore);
      const serverAfter = (await askServer(server.child, { type: 'cpu' }, 'cpu')).micros;
      const total = totals[i]!;
      for (const latency of run.latencies) total.latencies.push(latency);
      total.errors += run.errors;
      total.elapsedMs += run.elapsedMs;
      total.serverMicros += serverAfter - serverBefore;
      total.clientMicros += client.user + client.system;
    }
  }
  return totals.map((total) => {
    const sorted = total.latencies.sort((a, b) => a - b);
    return {
      requests: sorted.length,
      errors: total.errors,
      rps: (sorted.length / total.elapsedMs) * 1000,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      totalRequests: total.warmUpRequests + sorted.length,
      serverCpuMicrosPerRequest: total.serverMicros / sorted.length,
      serverCpuShare: total.serverMicros / 1000 / total.elapsedMs,
      clientCpuShare: total.clientMicros / 1000 / total.elapsedMs,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The measurements.
// ---------------------------------------------------------------------------------------------

interface ThroughputRow {
  level: 'INFO' | 'WARN';
  audit: boolean;
  /** The server's own liveness answer (no REST API pipeline). */
  health: Measurement;
  /** The REST API's unauthenticated health endpoint: the same pipeline as /myself, without a token. */
  apiHealth: Measurement;
  myself: Measurement;
  /** /myself ÷ the REST API's health: the cost of token authentication (the target). */
  ratio: number;
  /** /myself ÷ /health: the cost of the REST API pipeline and token authentication together. */
  ratioToServerHealth: number;
  logLinesPerRequest: number;
}

async function benchThroughput(dir: string): Promise<{
  rows: ThroughputRow[];
  logBytes: number;
  logEntries: LogEntriesRow[];
}> {
  const logPath = join(dir, 'throughput.log');
  const server = await startServerProcess(join(dir, 'throughput.sqlite'), logPath, true);
  try {
    const session = new ConsoleSession(server.base);
    await session.signIn('admin', ADMIN_PASSWORD);
    const { secret } = await session.json<CreatedToken>('POST', '/tokens', {
      description: 'Benchmark client',
      scope: 'READ_ONLY',
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      ipRestrictions: [],
    });
    const check = await fetch(`${server.base}/rest/api/2/myself`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    if (check.status !== 200) throw new Error(`The token does not work: ${check.status}`);
    await check.arrayBuffer();

    const rows: ThroughputRow[] = [];
    // WARN as the server starts (inherited from ROOT); INFO as an administrator sets it on the Logging page.
    for (const level of ['WARN', 'INFO'] as const) {
      if (level === 'INFO') await session.setLoggerLevel(APP_LOGGER, level);
      else await session.resetLoggerLevel(APP_LOGGER);
      for (const audit of [false, true]) {
        await session.changeSettings((s) => {
          s.auditLogging.successfulAuthentication = audit;
        });
        const logBefore = fileSize(logPath);
        const [health, apiHealth, myself] = (await measureAlternating(server, [
          { url: `${server.base}/health`, headers: {} },
          { url: `${server.base}${BASE_PATH}/health`, headers: {} },
          { url: `${server.base}/rest/api/2/myself`, headers: { authorization: `Bearer ${secret}` } },
        ])) as [Measurement, Measurement, Measurement];
        const logLinesPerRequest = countLines(logPath, logBefore) / myself.totalRequests;
        const ratio = myself.rps / apiHealth.rps;
        const ratioToServerHealth = myself.rps / health.rps;
        rows.push({
          level,
          audit,
          health,
          apiHealth,
          myself,
          ratio,
          ratioToServerHealth,
          logLinesPerRequest,
        });
        log(
          `  logger ${level}, auditing ${audit ? 'on ' : 'off'}: /health ${fmt(health.rps)}, API health ${fmt(apiHealth.rps)}, ` +
            `/myself ${fmt(myself.rps)} req/s; ratio ${ratio.toFixed(2)} (to /health ${ratioToServerHealth.toFixed(2)}); ` +
            `${logLinesPerRequest.toFixed(1)} log lines per request; server CPU ${fmt(health.serverCpuMicrosPerRequest)} / ` +
            `${fmt(apiHealth.serverCpuMicrosPerRequest)} / ${fmt(myself.serverCpuMicrosPerRequest)} µs/request ` +
            `(server ${pct(apiHealth.serverCpuShare)}/${pct(myself.serverCpuShare)}, client ${pct(apiHealth.clientCpuShare)}/${pct(myself.clientCpuShare)} of a core)`,
        );
      }
    }
    const logBytes = fileSize(logPath);
    log(`  the log file grew to ${mib(logBytes)}; reading Log entries from it…`);
    const logEntries = await measureLogEntries(session);
    for (const r of logEntries) log(`  Log entries, ${r.name}: p50 ${ms(r.p50Ms)}, p95 ${ms(r.p95Ms)}`);
    return { rows, logBytes, logEntries };
  } finally {
    await server.stop();
  }
}

interface LogEntriesRow {
  name: string;
  query: string;
  p50Ms: number;
  p95Ms: number;
}

/** The Log entries tab's first page, read back from the (now large) log file, as the client sees it. */
async function measureLogEntries(session: ConsoleSession): Promise<LogEntriesRow[]> {
  const queries = [
    { name: 'first page', query: 'limit=100', expected: 100 },
    // The worst case: nothing matches; the page reads its budget of the file and answers (empty, with
    // a cursor to go on from) before the whole file is read.
    {
      name: `a search no line matches (one page: ${mib(MAX_SCAN_BYTES)} of the file read)`,
      query: 'q=no-such-text&limit=100',
      expected: 0,
    },
  ];
  const rows: LogEntriesRow[] = [];
  for (const { name, query, expected } of queries) {
    const times: number[] = [];
    // One warm-up request, then the samples.
    for (let i = 0; i < LOG_ENTRIES_SAMPLES + 1; i++) {
      const start = performance.now();
      const response = await session.call('GET', `/logging/entries?${query}`, undefined, {}, 120_000);
      const { entries } = (await response.json()) as { entries: unknown[] };
      if (!response.ok || entries.length !== expected) {
        throw new Error(`Log entries ${query}: ${response.status}, ${entries.length} entries`);
      }
      if (i >= 1) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({ name, query, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) });
  }
  return rows;
}

/** Lines of the file from byte `offset` on. */
function countLines(path: string, offset: number): number {
  if (fileSize(path) <= offset) return 0;
  const bytes = readFileSync(path).subarray(offset);
  let lines = 0;
  for (const byte of bytes) if (byte === 10) lines++;
  return lines;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

interface SearchRow {
  name: string;
  /** Whether the first-page target applies (a later page is reported for comparison). */
  target: boolean;
  query: string;
  returned: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  samples: number;
}

interface ExportResult {
  rows: number;
  bytes: number;
  seconds: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  samples: number;
  /** Content-Encoding of the export response (null: none). */
  encoding: string | null;
  acceptEncoding: string;
  /** From the request to the first byte of the body. */
  firstByteSeconds: number;
}

async function benchAudit(dir: string) {
  const db = join(dir, 'audit.sqlite');
  log(`Seeding ${AUDIT_RECORDS.toLocaleString('en-US')} audit records…`);
  const seeder = startChild(['seed', '--db', db, '--count', String(AUDIT_RECORDS)], { heapMb: 8192 });
  const seeded = await nextMessage(seeder, 'seeded', SEED_TIMEOUT_MS);
  await new Promise<void>((done) => (seeder.exitCode !== null ? done() : seeder.once('exit', () => done())));
  log(
    `  generated in ${(seeded.generateMs / 1000).toFixed(1)} s, seeded in ${(seeded.ms / 1000).toFixed(1)} s ` +
      `(${fmt(seeded.records)} records, database ${(seeded.dbBytes / 2 ** 20).toFixed(0)} MiB)`,
  );

  const search: SearchRow[] = [];
  const server = await startServerProcess(db, join(dir, 'audit.log'), false);
  try {
    const session = new ConsoleSession(server.base);
    await session.signIn('admin', ADMIN_PASSWORD);
    const newest = await session.json<{ records: AuditRecord[] }>('GET', '/audit/records?limit=1');
    const to = newest.records[0]?.timestamp ?? new Date().toISOString();
    const from = new Date(Date.parse(to) - 86_400_000).toISOString();
    const newestNumber = Number(/\d+$/.exec(newest.records[0]?.id ?? '')?.[0] ?? 0);
    const depth = Math.floor(seeded.records * 0.9);
    const deepCursor = `ar-${String(Math.max(1, newestNumber - depth)).padStart(9, '0')}`;
    const filters: { name: string; params: Record<string, string>; target: boolean }[] = [
      { name: 'No filter', params: {}, target: true },
      { name: 'An event', params: { summary: 'Permission denied' }, target: true },
      { name: 'A CIDR range (client or proxy)', params: { ip: '91.41.0.0/16' }, target: true },
      { name: 'A search word', params: { q: 'grafana' }, target: true },
      { name: 'The last 24 hours', params: { from, to }, target: true },
      {
        name: 'Event + CIDR + 24 hours',
        params: { summary: 'Failed API token basic authentication attempt', ip: '91.41.0.0/16', from, to },
        target: true,
      },
      {
        name: `No filter, a later page ${fmt(depth)} records deep ("Load more")`,
        params: { cursor: deepCursor },
        target: false,
      },
    ];
    for (const filter of filters) {
      const query = new URLSearchParams({ ...filter.params, limit: '100' }).toString();
      const times: number[] = [];
      let returned = 0;
      const deadline = performance.now() + 60_000;
      for (let i = 0; i < 3 + SAMPLES && performance.now() < deadline; i++) {
        const t0 = performance.now();
        const page = await session.json<{ records: AuditRecord[] }>('GET', `/audit/records?${query}`);
        const ms = performance.now() - t0;
        returned = page.records.length;
        if (i >= 3) times.push(ms); // the first three are warm-up
      }
      times.sort((a, b) => a - b);
      const row = {
        name: filter.name,
        target: filter.target,
        query: decodeURIComponent(query).replace(/\+/g, ' '),
        returned,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        maxMs: times.at(-1) ?? Number.NaN,
        samples: times.length,
      };
      search.push(row);
      log(
        `  ${row.name}: p50 ${row.p50Ms.toFixed(1)} ms, p95 ${row.p95Ms.toFixed(1)} ms (${returned} records)`,
      );
    }
  } finally {
    await server.stop();
  }

  // Each export in a server process of its own, so that each starts from the same memory.
  const exports: ExportResult[] = [];
  for (const acceptEncoding of [BROWSER_ACCEPT_ENCODING, 'identity']) {
    log(`Exporting every record as CSV (Accept-Encoding: ${acceptEncoding})…`);
    const exportServer = await startServerProcess(db, join(dir, 'audit.log'), false);
    try {
      const session = new ConsoleSession(exportServer.base);
      await session.signIn('admin', ADMIN_PASSWORD);
      const exported = await benchExport(exportServer, session, acceptEncoding);
      exports.push(exported);
      log(
        `  ${fmt(exported.rows)} rows in ${exported.seconds.toFixed(1)} s = ${fmt(exported.rows / exported.seconds)} rows/s; ` +
          `first byte after ${exported.firstByteSeconds.toFixed(1)} s (Content-Encoding ${exported.encoding ?? 'none'}); ` +
          `RSS ${mib(exported.rssBefore)} → peak ${mib(exported.rssPeak)} → ${mib(exported.rssAfter)}`,
      );
    } finally {
      await exportServer.stop();
    }
  }
  return { seeded, search, exports };
}

/** What a browser sends (Chromium). */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

async function benchExport(
  server: ServerProcess,
  session: ConsoleSession,
  acceptEncoding: string,
): Promise<ExportResult> {
  await askServer(server.child, { type: 'sample-start' }, 'rss');
  const started = performance.now();
  const response = await session.call(
    'GET',
    '/audit/export?format=csv',
    undefined,
    { 'accept-encoding': acceptEncoding },
    EXPORT_TIMEOUT_MS,
  );
  if (response.status !== 200 || !response.body) throw new Error(`Export failed: ${response.status}`);
  const reader = response.body.getReader();
  let bytes = 0;
  let newlines = 0;
  let firstByte = Number.NaN;
  for (;;) {
    // Bounded by the request's timeout (EXPORT_TIMEOUT_MS), which aborts the read.
    const { done, value } = await reader.read();
    if (done) break;
    if (bytes === 0) firstByte = performance.now();
    bytes += value.length;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) newlines++;
  }
  const seconds = (performance.now() - started) / 1000;
  const { samples } = await askServer(server.child, { type: 'sample-stop' }, 'samples');
  await new Promise((done) => setTimeout(done, 1_000));
  const { rss: rssAfter } = await askServer(server.child, { type: 'rss' }, 'rss');
  return {
    rows: newlines - 1, // the header line
    bytes,
    seconds,
    rssBefore: samples[0] ?? Number.NaN,
    rssPeak: Math.max(...samples),
    rssAfter,
    samples: samples.length,
    encoding: response.headers.get('content-encoding'),
    acceptEncoding,
    firstByteSeconds: (firstByte - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// The report.
// ---------------------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (share: number) => `${Math.round(share * 100)} %`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const log = (line: string) => console.log(line);

function report(
  throughput: Awaited<ReturnType<typeof benchThroughput>>,
  audit: Awaited<ReturnType<typeof benchAudit>>,
  totalSeconds: number,
  load: [{ idle: number; loadAverage: number }, { idle: number; loadAverage: number }],
): string {
  const row = (level: string, audit: boolean) =>
    throughput.rows.find((r) => r.level === level && r.audit === audit);
  const infoOff = row('INFO', false);
  const warnOff = row('WARN', false);
  const warnOn = row('WARN', true);
  const micros = (r: ThroughputRow | undefined) => r?.myself.serverCpuMicrosPerRequest ?? Number.NaN;
  const date = new Date().toISOString().slice(0, 10);
  const offRows = throughput.rows.filter((r) => !r.audit);
  const ratioMet = (r: ThroughputRow) => (r.ratio >= TARGET_RATIO ? 'met' : 'not met');
  const targeted = audit.search.filter((r) => r.target);
  const worstSearch = Math.max(...targeted.map((r) => r.p95Ms));
  const firstPage = audit.search[0];
  const deepPage = audit.search.find((r) => !r.target);
  const growth = (e: ExportResult) => e.rssPeak - e.rssBefore;
  const flat = (e: ExportResult) => growth(e) < FLAT_RSS_GROWTH_BYTES;
  const lines = [
    '# Real server performance',
    '',
    `Measured ${date} on ${machine()}.`,
    `Other load on the machine: ${pct(load[0].idle)} of its CPU idle just before the run (load average ${load[0].loadAverage.toFixed(2)}), ` +
      `${pct(load[1].idle)} just after (${load[1].loadAverage.toFixed(2)}).` +
      (Math.min(load[0].idle, load[1].idle) < 0.9
        ? ' Other work shared the cores with the benchmark: the throughput figures of part a vary from run to run' +
          ' (the ratio less than the absolute figures), the latencies of parts b and c are higher than on an idle machine.'
        : ''),
    `Command: \`npm run bench:server\` (${CONCURRENCY} concurrent keep-alive clients, ${WARMUP_MS / 1000} s warm-up and ` +
      `${DURATION_MS / 1000} s measurement per throughput figure, ${SAMPLES} samples per audit search; the whole run took ` +
      `${Math.round(totalSeconds)} s).`,
    '',
    'The server is the real one: `createServerApp` on a SQLite file (WAL) read through its cache (`CachedStore`), served by @hono/node-server on',
    '127.0.0.1 in a child process of the benchmark. The load generator of part a is autocannon (keep-alive',
    'connections) in the benchmark process: it needs less CPU per request than the server, so that on this',
    'two-core machine the server process, not the client, limits the throughput (see its CPU share below).',
    '',
    '## Results',
    '',
    '| Target | Result | |',
    '| --- | --- | --- |',
    ...offRows.map((r) =>
      r.level === 'WARN'
        ? `| Token authentication costs < 15 % of throughput (ratio ≥ ${TARGET_RATIO}), auditing off, default logging (app logger at WARN, inherited: no line per request) | ratio ${r.ratio.toFixed(2)} | **${ratioMet(r)}** |`
        : `| The same with the app logger turned to INFO by an administrator (two log lines written per request; see "Logger level") | ratio ${r.ratio.toFixed(2)} | ${r.ratio >= TARGET_RATIO ? 'within 0.85' : 'below 0.85'} (not the target's configuration) |`,
    ),
    `| Audit search first page p95 < ${TARGET_SEARCH_P95_MS} ms over ${fmt(audit.seeded.records)} records (every filter below) | worst p95 ${ms(worstSearch)} | **${worstSearch < TARGET_SEARCH_P95_MS ? 'met' : 'not met'}** |`,
    ...audit.exports.map(
      (e) =>
        `| CSV export streams: server RSS grows < ${mib(FLAT_RSS_GROWTH_BYTES)} while exporting ${mib(e.bytes)} (Accept-Encoding: ${e.acceptEncoding}) | ${growth(e) >= 0 ? '+' : ''}${mib(growth(e))}, first byte after ${e.firstByteSeconds.toFixed(1)} s | **${flat(e) ? 'met' : 'not met'}** |`,
    ),
    '',
    '### a. Token authentication throughput',
    '',
    '| App logger `de.resolution.apitokenauth` | Successful-authentication auditing | `/health` req/s | REST API health req/s | `/rest/api/2/myself` (Bearer) req/s | **Ratio** (`/myself` ÷ REST API health) | Ratio to `/health` | `/myself` latency p50 / p99 | Log lines per request | Server CPU per request: `/health` / REST API health / `/myself` | Target (ratio ≥ 0.85) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...throughput.rows.map(
      (r) =>
        `| ${r.level === 'INFO' ? 'INFO (set by an administrator)' : 'WARN (default, inherited)'} | ${r.audit ? 'on' : 'off'} | ${fmt(r.health.rps)} | ${fmt(r.apiHealth.rps)} | ${fmt(r.myself.rps)} | ${r.ratio.toFixed(2)} | ${r.ratioToServerHealth.toFixed(2)} | ${ms(r.myself.p50Ms)} / ${ms(r.myself.p99Ms)} | ${r.logLinesPerRequest.toFixed(1)} | ${fmt(r.health.serverCpuMicrosPerRequest)} / ${fmt(r.apiHealth.serverCpuMicrosPerRequest)} / ${fmt(r.myself.serverCpuMicrosPerRequest)} µs | ${r.audit || r.level === 'INFO' ? '(not a target)' : ratioMet(r)} |`,
    ),
    '',
    'CPU use during each measurement (share of one core; server process / load generator):',
    '',
    '| Logger | Auditing | `/health` | REST API health | `/myself` |',
    '| --- | --- | ---: | ---: | ---: |',
    ...throughput.rows.map(
      (r) =>
        `| ${r.level} | ${r.audit ? 'on' : 'off'} | ${pct(r.health.serverCpuShare)} / ${pct(r.health.clientCpuShare)} | ${pct(r.apiHealth.serverCpuShare)} / ${pct(r.apiHealth.clientCpuShare)} | ${pct(r.myself.serverCpuShare)} / ${pct(r.myself.clientCpuShare)} |`,
    ),
    '',
    `Errors (non-200 answers or failed requests): ${throughput.rows.reduce((n, r) => n + r.health.errors + r.apiHealth.errors + r.myself.errors, 0)}.`,
    '',
    '- **Req/s** counts the completed requests of the measurement window divided by its length;',
    `  ${CONCURRENCY} connections send back to back. The three endpoints take turns in 1 s slices on the same`,
    '  server, so that drift in the machine hits them alike.',
    '- **The ratio** compares two unauthenticated and authenticated requests that take the same path',
    `  through the server: \`GET ${BASE_PATH}/health\` is the REST API's own health endpoint (no`,
    '  Authorization header: the backend looks for a session cookie, finds none and answers), and',
    '  `GET /rest/api/2/myself` with a Bearer token goes through the same middleware and adds what a token',
    '  request does: the engine reads the settings, hashes the secret (SHA-256), finds the token and its',
    '  owner, checks expiry, IP restrictions, rate limit and scope, writes "last used" (at most once a',
    '  minute), the log lines the logger level allows and the audit record when that option is on, and',
    '  answers the user as JSON. 1.00 would mean token authentication costs nothing.',
    "- **Ratio to `/health`** compares with the server's liveness answer, which skips the REST API",
    '  entirely (no backend routing, no session lookup): it is the cost of the REST API pipeline and the',
    '  token together, shown for completeness; it is not what the target measures.',
    '- **Server CPU per request** is the CPU time (user + system) of the server process during the',
    '  measurement divided by the requests it answered. Both endpoints cost a few tens of microseconds, so',
    '  small differences weigh. The engine itself (parse the header, hash the secret with SHA-256, four reads',
    '  that the cache answers from memory — settings, levels, token, owner — the checks) takes a few',
    '  microseconds at WARN when called directly; the gap between the two',
    '  endpoints is larger because of how the load reaches the server: on loopback, sending a response also',
    "  delivers it to the load generator's socket and wakes the load generator when it is waiting (Linux",
    '  does this inside the sending system call; in a virtual machine a wake-up on the other core is',
    '  expensive). The slower the server answers, the more often the load generator waits, so every',
    '  microsecond of server work costs somewhat more than a microsecond here (`perf` puts 3–6 µs per',
    '  request in that wake-up, more for the slower endpoint). A client on another machine does not add this.',
    "- **Logger level.** The server starts with the root logger at WARN and the app's loggers inheriting",
    '  it, as Jira does (levels set on the Logging page last until the restart; `--log-level` makes one',
    '  permanent): the seed has the administrator turn the package to INFO to get the authentication lines',
    '  ("After changing the log level … to INFO our app writes additional entries"). The target is judged',
    '  in that default configuration, with auditing off as the target says; INFO is measured beside it',
    '  because an administrator may turn it on. At INFO every successful authentication formats and',
    '  writes two lines (the original line and the one log analyzers parse; the lines of one turn of the',
    `  event loop go to the file in one write). Here the two lines cost about ${fmt(micros(infoOff) - micros(warnOff))} µs of server CPU per request (INFO ${fmt(micros(infoOff))} µs against`,
    `  WARN ${fmt(micros(warnOff))} µs, auditing off): formatting them, appending about 400 bytes to the file, and the`,
    '  wake-up effect above. Like auditing, this is a record of every request, written on the request path.',
    '  The benchmark turns off the stdout echo of log lines (`echoLog`); `npm run serve` also writes them to',
    '  stdout (one write per turn of the event loop, like the file).',
    `- **Auditing on** adds one audit record (an INSERT into a table with five indexes) per request: about ${fmt(micros(warnOn) - micros(warnOff))} µs`,
    '  of server CPU at WARN. The records of one turn of the event loop (here a few dozen requests) are',
    '  inserted in one transaction at its end, and each answer waits for that commit: a transaction per',
    '  record cost about 66 µs on its own.',
    `- The log file of this part grew to ${mib(throughput.logBytes)}. The Log entries tab reads it back from the end, a`,
    `  chunk at a time, until its page is full or it has read ${mib(MAX_SCAN_BYTES)} (one request at a time, signed in, after a warm-up request, ${LOG_ENTRIES_SAMPLES} samples each):`,
    '',
    '| Log entries | Query | p50 | p95 |',
    '| --- | --- | ---: | ---: |',
    ...throughput.logEntries.map((r) => `| ${r.name} | \`${r.query}\` | ${ms(r.p50Ms)} | ${ms(r.p95Ms)} |`),
    '',
    `### b. Audit search over ${fmt(audit.seeded.records)} records`,
    '',
    '| Filter | Query | Records returned | p50 | p95 | max | Target (p95 < 20 ms) |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...audit.search.map(
      (r) =>
        `| ${r.name} | \`${r.query}\` | ${r.returned} | ${ms(r.p50Ms)} | ${ms(r.p95Ms)} | ${ms(r.maxMs)} | ${r.target ? (r.p95Ms < TARGET_SEARCH_P95_MS ? 'met' : 'not met') : '(not a first page)'} |`,
    ),
    '',
    `- The records are the demo data set (\`generateDemoData({ now, auditRecordCount: ${AUDIT_RECORDS} })\`,`,
    `  90 days of traffic), loaded with \`SqliteStore.seed\` by a separate process: generated in`,
    `  ${(audit.seeded.generateMs / 1000).toFixed(1)} s, written in ${(audit.seeded.ms / 1000).toFixed(1)} s; database file ${mib(audit.seeded.dbBytes)}.`,
    '- Each figure is the time of `GET /rest/api-token-auth/1.0/audit/records?…&limit=100` as the client',
    '  sees it (request, retention check, query, JSON of 100 records, response read), signed in with the',
    `  session cookie, one request at a time; ${SAMPLES} samples after 3 warm-up requests per filter.`,
    '- "The last 24 hours" ends at the newest record; the combined row asks for a rarer event from one',
    '  client range in that day, the kind of query that has to look at many records to fill a page.',
    '- The last row is not a first page: it is the page after a cursor deep in the log (what "Load more"',
    '  asks for after many pages, and what the export reads page after page). Keyset paging should cost',
    `  the same at any depth;${
      deepPage && firstPage
        ? ` here it costs ${(deepPage.p50Ms / firstPage.p50Ms).toFixed(1)} × the first page (p50 ${ms(deepPage.p50Ms)} against ${ms(firstPage.p50Ms)}).`
        : ''
    }`,
    '',
    '### c. CSV export',
    '',
    '| Accept-Encoding sent | Content-Encoding received | Rows | CSV bytes | Time | Rows/s | First byte after | Server RSS before | Server RSS peak | Server RSS after | Peak − before | Flat |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...audit.exports.map(
      (e) =>
        `| \`${e.acceptEncoding}\` | ${e.encoding ?? 'none'} | ${fmt(e.rows)} | ${mib(e.bytes)} | ${e.seconds.toFixed(1)} s | ${fmt(e.rows / e.seconds)} | ${e.firstByteSeconds.toFixed(1)} s | ${mib(e.rssBefore)} | ${mib(e.rssPeak)} | ${mib(e.rssAfter)} | ${growth(e) >= 0 ? '+' : ''}${mib(growth(e))} | ${flat(e) ? 'yes' : 'no'} |`,
    ),
    '',
    '- `GET /audit/export?format=csv` without filters, read by the client as a stream (bytes and lines',
    '  counted, nothing kept), once as a browser asks for it and once without compression, each from a',
    '  freshly started server process. Rows/s = data rows ÷ the time from the request to the last byte;',
    '  CSV bytes are counted after `fetch` has decompressed them.',
    '- "First byte after": from the request to the first body bytes the client receives. A streaming',
    '  export sends its first rows at once; a large figure means the rows waited in the server.',
    `- RSS is the server process's resident memory (\`process.memoryUsage().rss\`), sampled every 50 ms`,
    '  during the export; "after" is taken 1 s after the last byte. The export reads 1,000 records per',
    '  pull of the response stream; if every layer passes the pulls on (backpressure), memory stays flat',
    '  however many records there are, and an export that builds up in memory grows towards its size.',
    '  "Flat" means it grew by less than 64 MiB.',
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const dir = mkdtempSync(join(os.tmpdir(), 'atc-bench-server-'));
  try {
    log(`Machine: ${machine()}`);
    const load = await machineLoad();
    log(`  before the run: ${pct(load.idle)} of the CPU idle, load average ${load.loadAverage.toFixed(2)}`);
    log('a. Token authentication throughput');
    const throughput = await benchThroughput(dir);
    if (process.argv.includes('--throughput-only')) return;
    log('b./c. Audit search and export');
    const audit = await benchAudit(dir);
    const loadAfter = await machineLoad();
    const markdown = report(throughput, audit, (performance.now() - started) / 1000, [load, loadAfter]);
    mkdirSync(dirname(REPORT), { recursive: true });
    writeFileSync(REPORT, markdown);
    log(`Wrote ${REPORT}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = process.argv[2];
if (role === 'server' || role === 'seed') {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      db: { type: 'string' },
      log: { type: 'string' },
      count: { type: 'string' },
      'first-start': { type: 'boolean' },
    },
  });
  if (role === 'server') {
    await runServer({ db: values.db!, log: values.log!, firstStart: values['first-start'] ?? false });
  } else {
    await runSeeder({ db: values.db!, count: Number(values.count) });
    process.disconnect?.();
  }
} else {
  await main();
}
