import type { Pool, PoolClient } from 'pg';

/** The pool (a statement on any connection), or one connection (a statement in its transaction). */
export type Queryable = Pool | PoolClient;

/** Runs `work` in a transaction on one connection of the pool: committed if it resolves, else rolled back. */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    // A connection that cannot roll back is broken: it is closed, not given back to the pool.
    await client.query('ROLLBACK').then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
}

/** A value of the `meta` table (the retention floor, the demo session), or undefined. */
export async function readMeta(on: Queryable, key: string): Promise<string | undefined> {
  const { rows } = await on.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
  return rows[0]?.value;
}

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMS = 65_535;

/** The most rows of this many columns that one statement can insert. */
export const rowsPerStatement = (columns: readonly string[]) => Math.floor(MAX_PARAMS / columns.length);

/**
 * Inserts rows in as few multi-row INSERTs as the parameter limit allows; with `skipExisting` (the
 * table's key columns), a row whose key is there already is left as it is. Returns how many were
 * inserted.
 */
export async function insertRows(
  on: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  skipExisting?: string,
): Promise<number> {
  const perStatement = rowsPerStatement(columns);
  const onConflict = skipExisting === undefined ? '' : ` ON CONFLICT (${skipExisting}) DO NOTHING`;
  let inserted = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const first = values.length;
      values.push(...row);
      return `(${row.map((_, i) => `$${first + i + 1}`).join(', ')})`;
    });
    const result = await on.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${onConflict}`,
      values,
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}
