/**
 * `npm run db:copy`: moves an installation from its SQLite file to PostgreSQL (server/store/copy.ts).
 * Stop the server first (the file is one process's at a time); run it again after an interruption, it
 * goes on where it stopped; Ctrl-C stops it after the batch under way.
 *
 *   npm run db:copy -- --from data/api-token-console.db --to postgres://user@host/db
 *   --to may be left out for ATC_DATABASE_URL (which keeps the password off the command line).
 *
 * Prints progress and, at the end, the rows of each table in both databases; exits 0 when they are
 * equal, 1 when not, 2 when it could not copy, 130 when stopped. The password is never printed.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { COPIED_TABLES, copySqliteToPostgres, type CopyReport } from '../server/store/copy';
import { isPostgresUrl } from '../server/store/open';
import { PostgresStore } from '../server/store/postgres/postgres-store';
import { redactUrl } from '../server/store/postgres/pg-rows';
import { SqliteStore } from '../server/store/sqlite-store';

/** Progress at most this often. */
const PROGRESS_MS = 5_000;

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
const from = resolve(values.from ?? 'data/api-token-console.db');
const to = values.to ?? process.env.ATC_DATABASE_URL ?? '';

/** The message with the database's password (as written and as decoded) replaced by ***. */
function redacted(message: string): string {
  let password = '';
  try {
    password = new URL(to).password;
  } catch {
    return message;
  }
  if (!password) return message;
  return message.replaceAll(password, '***').replaceAll(decodeURIComponent(password), '***');
}

function fail(message: string): never {
  console.error(redacted(message));
  process.exit(2);
}

if (!isPostgresUrl(to))
  fail('Give the PostgreSQL database: --to postgres://user@host/db (or ATC_DATABASE_URL).');
if (!existsSync(from)) fail(`No such file: ${from} (give the SQLite file with --from).`);

const numberOf = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<number> {
  const source = SqliteStore.open(from);
  const target = await PostgresStore.open(to).catch((error: unknown) => {
    source.close();
    throw error;
  });
  console.log(`Copying ${from} to ${redactUrl(to)}`);
  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.log('Stopping after the batch under way…');
    stop.abort();
  });
  const started = performance.now();
  let shown = started;
  let report: CopyReport;
  try {
    report = await copySqliteToPostgres(source, target, {
      sourceName: from,
      signal: stop.signal,
      onProgress({ copied, total }) {
        const now = performance.now();
        if (now - shown < PROGRESS_MS) return;
        shown = now;
        const perSecond = Math.round(copied / ((now - started) / 1000));
        console.log(
          `  audit records: ${numberOf(copied)} copied (${numberOf(total)} in the file), ${numberOf(perSecond)}/s`,
        );
      },
    });
  } finally {
    await target.close();
    source.close();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${report.stopped ? 'Stopped' : 'Done'} after ${seconds.toFixed(1)} s.`);
  console.log(
    `  ${'table'.padEnd(14)} ${'SQLite'.padStart(12)} ${'PostgreSQL'.padStart(12)} ${'copied now'.padStart(12)}`,
  );
  for (const table of COPIED_TABLES) {
    const { sqlite, postgres } = report.counts[table];
    console.log(
      `  ${table.padEnd(14)} ${numberOf(sqlite).padStart(12)} ${numberOf(postgres).padStart(12)} ${numberOf(report.copied[table]).padStart(12)}`,
    );
  }
  if (report.stopped) {
    console.log('Run the same command again to go on.');
    return 130;
  }
  const differ = COPIED_TABLES.filter((t) => report.counts[t].sqlite !== report.counts[t].postgres);
  if (differ.length > 0) {
    console.log(`The row counts differ for ${differ.join(', ')}: the copy is not complete.`);
    return 1;
  }
  console.log(
    'Every row is in PostgreSQL. Start the server with --db and the same URL (or ATC_DATABASE_URL).',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(`Could not copy: ${(error as Error).message}`),
);
