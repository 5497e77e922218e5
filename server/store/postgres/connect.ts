import pg, { type Pool } from 'pg';
import { migratePostgres } from './migrations';
import { redactUrl } from './pg-rows';

/** How often a node whose lock connection broke tries to take its lock again. */
const RETAKE_INTERVAL_MS = 500;

/**
 * A node of the database (its schema) is one process's alone while it runs: two processes with one
 * node id would mix their levels, heartbeats and log lines. (Several nodes are one installation: each
 * learns of the others' changes, server/cluster/.) The node holds a session advisory lock on a
 * connection of its own; PostgreSQL drops it when the connection ends, however it ends. When that
 * connection breaks (PostgreSQL restarted, a network cut), the node takes its lock again as soon as the
 * database is back — until then the database cannot be reached (`lostSince`, reported by /health) — and
 * if another process took the node id meanwhile, `onTaken` is told (the server stops).
 */
export class NodeLock {
  /** Since when the lock's connection is broken (the database cannot be reached); null while held. */
  lostSince: string | null = null;
  private client: pg.Client | null = null;
  private retake: NodeJS.Timeout | undefined;
  private released = false;

  /** Told when another process became this node while the connection was broken (printed by default). */
  onTaken: (message: string) => void = (message) => console.error(message);

  constructor(
    private readonly url: string,
    private readonly node: string,
  ) {}

  /** The message of a refusal: another process is this node. */
  get takenMessage(): string {
    return `Another server process is node ${this.node} of ${redactUrl(this.url)}. Give this one another --node, or its own --db.`;
  }

  /** Connects and takes the lock: true, or false when another process holds it. Throws when unreachable. */
  async take(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'the connection ended'));
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('atc node ' || current_schema() || ' ' || $1)) AS locked",
        [this.node],
      );
      if (!rows[0]!.locked) {
        await client.end();
        return false;
      }
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    return true;
  }

  /** Lets go of the lock (the process stops). */
  async release(): Promise<void> {
    this.released = true;
    clearTimeout(this.retake);
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  private lost(client: pg.Client, reason: string): void {
    // (A refused or failed attempt's own connection, or one ended on purpose, is not the lock.)
    if (this.released || client !== this.client) return;
    this.client = null;
    this.lostSince ??= new Date().toISOString();
    console.error(
      `PostgreSQL connection lost: ${reason} (node ${this.node} takes its lock again once it is back)`,
    );
    this.scheduleRetake();
  }

  private scheduleRetake(): void {
    this.retake = setTimeout(() => void this.tryRetake(), RETAKE_INTERVAL_MS);
    this.retake.unref();
  }

  private async tryRetake(): Promise<void> {
    if (this.released) return;
    let locked: boolean;
    try {
      locked = await this.take();
    } catch {
      this.scheduleRetake();
      return;
    }
    if (this.released) {
      await this.release();
      return;
    }
    if (locked) {
      console.error(`PostgreSQL is back: node ${this.node} holds its lock again`);
      this.lostSince = null;
    } else {
      this.onTaken(this.takenMessage);
    }
  }
}

/**
 * Connects a node to its database: a pool for the store's queries, and the node's lock (NodeLock);
 * brings the schema up to date. Throws an error with a one-line message (without the password) when the
 * database cannot be reached or migrated, or another process is this node.
 */
export async function connectNode(
  url: string,
  node: string,
  poolSize: number,
): Promise<{ pool: Pool; lock: NodeLock }> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A connection that breaks while idle is dropped by the pool; the next query opens another.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  // A connection that breaks while it is checked out (a duty or a transaction between statements,
  // PostgreSQL stopping) emits 'error' with no listener of the pool's, which would end the process:
  // its next statement fails instead, and the request is answered 503.
  pool.on('connect', (client) => client.on('error', () => {}));
  const lock = new NodeLock(url, node);
  try {
    if (!(await lock.take())) throw new Error(lock.takenMessage);
    await migratePostgres(pool);
  } catch (error) {
    await Promise.allSettled([pool.end(), lock.release()]);
    const message = (error as Error).message;
    throw new Error(
      message.startsWith('Another server') ? message : `Cannot open ${redactUrl(url)}: ${message}`,
    );
  }
  return { pool, lock };
}
