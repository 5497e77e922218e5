/** The measurements: token authentication throughput, Log entries, audit search and export. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_PATH } from '../../contract/api';
import type { AuditRecord } from '../../contract/audit';
import type { CreatedToken } from '../../contract/tokens';
import { MAX_SCAN_BYTES } from '../../server/log-file';
import { percentile } from '../browser';
import {
  type BenchDatabases,
  type ServerProcess,
  askServer,
  nextMessage,
  startChild,
  startServerProcess,
} from './children';
import {
  ADMIN_PASSWORD,
  APP_LOGGER,
  AUDIT_RECORDS,
  EXPORT_TIMEOUT_MS,
  SAMPLES,
  SEED_TIMEOUT_MS,
} from './config';
import { ConsoleSession, LOG_ENTRIES_SAMPLES, type Measurement, measureAlternating } from './load';
import { fmt, log, mib, ms, pct } from './report';

export interface ThroughputRow {
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

export async function benchThroughput(
  databases: BenchDatabases,
  dir: string,
): Promise<{
  rows: ThroughputRow[];
  logBytes: number;
  logEntries: LogEntriesRow[];
}> {
  const logPath = join(dir, 'throughput.log');
  const server = await startServerProcess(await databases.create('throughput'), logPath, true);
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

export interface ExportResult {
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

export async function benchAudit(databases: BenchDatabases, dir: string) {
  const db = await databases.create('audit');
  log(`Seeding ${AUDIT_RECORDS.toLocaleString('en-US')} audit records…`);
  const seeder = startChild(['seed', '--count', String(AUDIT_RECORDS)], db, { heapMb: 8192 });
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
