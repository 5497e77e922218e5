import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseLocation, describeLocation, isPostgresUrl, openServerStore } from './open';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite-store';
import { createTestDatabase } from '../test/postgres';

describe('the database option', () => {
  it('is a SQLite file by default, under data/', () => {
    expect(databaseLocation(undefined, {})).toBe(resolve('data/api-token-console.db'));
  });

  it('takes --db first, then ATC_DATABASE_URL, then ATC_DB', () => {
    const env = { ATC_DATABASE_URL: 'postgres://atc@db.example.com/atc', ATC_DB: 'other.db' };
    expect(databaseLocation('mine.db', env)).toBe(resolve('mine.db'));
    expect(databaseLocation('postgresql://u@h/d', env)).toBe('postgresql://u@h/d');
    expect(databaseLocation(undefined, env)).toBe('postgres://atc@db.example.com/atc');
    expect(databaseLocation(undefined, { ...env, ATC_DATABASE_URL: '' })).toBe(resolve('other.db'));
  });

  it('names PostgreSQL by a postgres:// or postgresql:// URL only', () => {
    expect(isPostgresUrl('postgres://u@h/d')).toBe(true);
    expect(isPostgresUrl('POSTGRESQL://u@h/d')).toBe(true);
    expect(isPostgresUrl('data/postgres.db')).toBe(false);
    expect(isPostgresUrl('mysql://u@h/d')).toBe(false);
  });

  it('is printed without the password', () => {
    expect(describeLocation('postgres://atc:s3cret@db.example.com:5433/atc')).toBe(
      'postgres://atc:***@db.example.com:5433/atc',
    );
    expect(describeLocation('/srv/atc/console.db')).toBe('/srv/atc/console.db');
  });

  it('opens PostgreSQL for a URL and SQLite for a file', async () => {
    const postgres = await openServerStore(await createTestDatabase(), ['node-1']);
    expect(postgres).toBeInstanceOf(PostgresStore);
    expect((await postgres.listNodes()).map((n) => n.id)).toEqual(['node-1']);
    await postgres.close();
    const sqlite = await openServerStore(':memory:', ['node-1']);
    expect(sqlite).toBeInstanceOf(SqliteStore);
    await sqlite.close();
  });

  it('refuses a PostgreSQL it cannot reach with one line that names it', async () => {
    await expect(openServerStore('postgres://atc:pw@127.0.0.1:1/atc', ['node-1'])).rejects.toThrow(
      /^Cannot open postgres:\/\/atc:\*\*\*@127\.0\.0\.1:1\/atc: .*ECONNREFUSED/,
    );
  });
});
