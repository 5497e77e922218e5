import pg from 'pg';
import { createTestSchema } from './postgres';

export interface RestoredSchema {
  /** The schema's URL, with the rows as `prepare` left them (put back first, after the first test). */
  url(): Promise<string>;
  /** Closes the connection that compares and restores (after the file's last test). */
  end(): Promise<void>;
}

/**
 * A schema for the tests of one file that each start from the same data (the store contract's data
 * set): `prepare` fills it once (opens a store on the URL, which migrates it, seeds it and closes it),
 * a copy of every table is taken, and from the second test on `url()` first puts back every table whose
 * rows differ from that copy, and every identity's next value. Each test so starts from what a new
 * schema, migrated and seeded for it, would hold, at a fraction of the cost: a table that no test
 * changed is only compared. The previous test's stores must be closed before `url()`.
 */
export function restoredSchema(prepare: (url: string) => Promise<void>): RestoredSchema {
  let snapshot: Promise<Snapshot> | undefined;
  return {
    async url() {
      if (!snapshot) {
        snapshot = takeSnapshot(prepare);
        return (await snapshot).url;
      }
      const taken = await snapshot;
      await taken.restore();
      return taken.url;
    },
    async end() {
      await (await snapshot)?.client.end();
    },
  };
}

interface Snapshot {
  url: string;
  client: pg.Client;
  restore(): Promise<void>;
}

async function takeSnapshot(prepare: (url: string) => Promise<void>): Promise<Snapshot> {
  const url = await createTestSchema();
  await prepare(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = (await client.query<{ name: string }>('SELECT current_schema() AS name')).rows[0]!.name;
  const copy = `${schema}_snapshot`;
  // Every table, with the columns that can be written (not the generated ones) in their order.
  const { rows: tables } = await client.query<{ name: string; columns: string }>(
    `SELECT quote_ident(c.table_name) AS name,
            string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) AS columns
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
      GROUP BY c.table_name`,
    [schema],
  );
  const setSequences = (
    await client.query<{ sql: string | null }>(
      `SELECT string_agg(format('SELECT setval(%L, %s, %s);',
                quote_ident(schemaname) || '.' || quote_ident(sequencename), coalesce(last_value, start_value),
                CASE WHEN last_value IS NULL THEN 'false' ELSE 'true' END), '') AS sql
         FROM pg_sequences WHERE schemaname = $1`,
      [schema],
    )
  ).rows[0]!.sql;
  await client.query(
    `CREATE SCHEMA ${copy};` +
      tables
        .map((t) => `CREATE TABLE ${copy}.${t.name} AS SELECT ${t.columns} FROM ${schema}.${t.name};`)
        .join(''),
  );
  // The tables whose rows differ from the copy's, either way, duplicates counted.
  const changedTables = tables
    .map(
      (t) => `SELECT '${t.name}' AS name WHERE EXISTS (
        (SELECT ${t.columns} FROM ${schema}.${t.name} EXCEPT ALL TABLE ${copy}.${t.name})
        UNION ALL (TABLE ${copy}.${t.name} EXCEPT ALL SELECT ${t.columns} FROM ${schema}.${t.name}))`,
    )
    .join(' UNION ALL ');
  const byName = new Map(tables.map((t) => [t.name, t]));
  return {
    url,
    client,
    async restore() {
      const changed = (await client.query<{ name: string }>(changedTables)).rows.map((r) =>
        byName.get(r.name)!,
      );
      await client.query('BEGIN');
      try {
        // As a replica applies rows: no trigger fires (no change notification, no foreign key check
        // before every table is back).
        await client.query(
          `SET LOCAL session_replication_role = replica;
           ${changed
             .map(
               (t) => `DELETE FROM ${schema}.${t.name};
                 INSERT INTO ${schema}.${t.name} (${t.columns}) OVERRIDING SYSTEM VALUE TABLE ${copy}.${t.name};`,
             )
             .join('')}
           ${setSequences ?? ''}`,
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}
