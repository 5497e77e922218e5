import pg, { type Pool } from 'pg';
import { migratePostgres } from './migrations';
import { redactUrl } from './pg-rows';

/**
 * Connects a node to its database: a pool for the store's queries, and one connection of its own that
 * holds the node's advisory lock while the process runs; brings the schema up to date. Throws an error
 * with a one-line message (without the password) when the database cannot be reached or migrated, or
 * another process is this node.
 */
export async function connectNode(
  url: string,
  node: string,
  poolSize: number,
): Promise<{ pool: Pool; owner: pg.Client }> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A connection that breaks while idle is dropped by the pool; the next query opens another.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  // A connection that breaks while it is checked out (a duty or a transaction between statements,
  // PostgreSQL stopping) emits 'error' with no listener of the pool's, which would end the process:
  // its next statement fails instead, and the request is answered 503.
  pool.on('connect', (client) => client.on('error', () => {}));
  const owner = new pg.Client({ connectionString: url });
  owner.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  try {
    await owner.connect();
    // A node of the database (its schema) is this process's alone while it runs: two processes with
    // one node id would mix their levels, heartbeats and log lines. (Several nodes are one
    // installation: each learns of the others' changes, server/cluster/.) A session's advisory lock:
    // PostgreSQL drops it when the connection ends, however it ends.
    const { rows } = await owner.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext('atc node ' || current_schema() || ' ' || $1)) AS locked",
      [node],
    );
    if (!rows[0]!.locked) {
      throw new Error(
        `Another server process is node ${node} of ${redactUrl(url)}. Give this one another --node, or its own --db.`,
      );
    }
    await migratePostgres(pool);
  } catch (error) {
    await Promise.allSettled([pool.end(), owner.end()]);
    const message = (error as Error).message;
    throw new Error(
      message.startsWith('Another server') ? message : `Cannot open ${redactUrl(url)}: ${message}`,
    );
  }
  return { pool, owner };
}
