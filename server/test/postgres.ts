import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A name no other test uses. */
const uniqueName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database in the run's throwaway cluster (server/test/postgres-global-setup.ts). */
export async function createTestDatabase(): Promise<string> {
  const cluster = inject('postgresUrl');
  const name = uniqueName('atc_test');
  await run(cluster, `CREATE DATABASE ${name}`);
  return withDatabase(cluster, name);
}

let fileDatabase: Promise<string> | undefined;

/**
 * A new, empty schema of its own, in a database shared by the tests of this file (a schema costs a
 * millisecond, a database tens): the URL opens connections whose search path is that schema (and
 * `public`, which holds the pg_trgm extension for all of them).
 */
export async function createTestSchema(): Promise<string> {
  fileDatabase ??= createTestDatabase().then(async (url) => {
    await run(url, 'CREATE EXTENSION pg_trgm SCHEMA public');
    return url;
  });
  const url = await fileDatabase;
  const schema = uniqueName('s');
  await run(url, `CREATE SCHEMA ${schema}`);
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema},public`);
  return parsed.toString();
}
