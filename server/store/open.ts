import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PostgresStore } from './postgres/postgres-store';
import { redactUrl } from './postgres/pg-rows';
import { SqliteStore } from './sqlite-store';

/** The server's database: a SQLite file (the default), or PostgreSQL. */
export type ServerDatabase = SqliteStore | PostgresStore;

const DEFAULT_SQLITE_FILE = 'data/api-token-console.db';

/** Whether the database option names a PostgreSQL database (a `postgres://` or `postgresql://` URL). */
export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);

/**
 * Where the server's data is: `--db` (a file or a PostgreSQL URL), else ATC_DATABASE_URL, else ATC_DB
 * (a file), else data/api-token-console.db. A file path is made absolute.
 */
export function databaseLocation(
  option: string | undefined,
  env: Record<string, string | undefined>,
): string {
  const location = option ?? (env.ATC_DATABASE_URL || undefined) ?? env.ATC_DB ?? DEFAULT_SQLITE_FILE;
  return isPostgresUrl(location) ? location : resolve(location);
}

/** The location as it may be printed (a URL without its password). */
export const describeLocation = (location: string) =>
  isPostgresUrl(location) ? redactUrl(location) : location;

/**
 * Opens the server's database and brings its schema up to date: PostgreSQL for a URL, else the SQLite
 * file (its folder created if need be; ':memory:' for a throwaway one). Rejects with a one-line message
 * when it cannot.
 */
export async function openServerStore(location: string, nodes: string[]): Promise<ServerDatabase> {
  if (isPostgresUrl(location)) return PostgresStore.open(location, { nodes });
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  return SqliteStore.open(location, { nodes });
}
