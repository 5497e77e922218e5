import type { Pool } from 'pg';
import type { ClusterNode } from '../../../contract/logging';
import type { Queryable } from './sql';

/** How often a node of a cluster says it is alive (server/cluster/cluster-node.ts). */
export const HEARTBEAT_MS = 2_000;
/** A node not heard of for this long (three heartbeats) is down. */
export const NODE_DOWN_AFTER_MS = 3 * HEARTBEAT_MS;

/** The nodes of a cluster in the `nodes` table: who they are, and whether they are up. */
export class PgNodes {
  constructor(private readonly pool: Pool) {}

  /** A node of the data set or the command line, without its state (it registers when it starts). */
  async insert(node: string, on: Queryable): Promise<void> {
    await on.query('INSERT INTO nodes (node) VALUES ($1) ON CONFLICT DO NOTHING', [node]);
  }

  /** Up: heard of within NODE_DOWN_AFTER_MS by the database's clock, and not stopped since. */
  async list(): Promise<ClusterNode[]> {
    const { rows } = await this.pool.query<{
      node: string;
      address: string | null;
      version: string | null;
      started_at: Date | null;
      last_seen_at: Date | null;
      up: boolean;
    }>(
      `SELECT node, address, version, started_at, last_seen_at,
         coalesce(stopped_at IS NULL AND last_seen_at > now() - $1 * interval '1 millisecond', false) AS up
       FROM nodes ORDER BY seq`,
      [NODE_DOWN_AFTER_MS],
    );
    return rows.map((row) => ({
      id: row.node,
      state: row.up ? 'up' : 'down',
      address: row.address,
      version: row.version,
      startedAt: row.started_at?.toISOString() ?? null,
      lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    }));
  }
  /** A node that starts: what it says of itself, and its first heartbeat. */
  async register(node: { id: string; address: string; version: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO nodes (node, address, version, started_at, last_seen_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (node) DO UPDATE SET address = excluded.address, version = excluded.version,
         started_at = now(), last_seen_at = now(), stopped_at = NULL`,
      [node.id, node.address, node.version],
    );
  }
  /** The node is alive (every HEARTBEAT_MS). */
  async heartbeat(id: string): Promise<void> {
    await this.pool.query('UPDATE nodes SET last_seen_at = now(), stopped_at = NULL WHERE node = $1', [id]);
  }
  /** The node stopped (it is down at once, not after its heartbeats fail). */
  async stopped(id: string): Promise<void> {
    await this.pool.query('UPDATE nodes SET stopped_at = now() WHERE node = $1', [id]);
  }
}
