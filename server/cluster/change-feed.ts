import pg, { type Pool } from 'pg';
import type { StoreChange } from '../../backend/store/cached-store';

/** The channel the database's triggers notify on (server/store/postgres/migrations.ts, version 3). */
export const CHANGES_CHANNEL = 'atc_changes';

/** What a notification carries: the change version it raised the database to, and the change. */
interface ChangeNotification {
  version: number;
  change: StoreChange;
}

export interface ChangeFeedOptions {
  /** The database (a postgres:// URL): the feed opens a connection of its own to LISTEN on. */
  url: string;
  /** The pool the safety-net check reads the change version through. */
  pool: Pool;
  /** Where changes go: the node's cache (`CachedStore.invalidate`). */
  invalidate(change: StoreChange): void;
  /** This node's id, named in the LISTEN connection's application_name. */
  nodeId: string;
  /**
   * false: no LISTEN, the safety-net check alone (behind a pooler in transaction mode, where LISTEN
   * does not work). Default true.
   */
  listen?: boolean;
  /** How often the safety-net check reads the change version (default 400 ms). */
  checkEveryMs?: number;
  /** How long to wait before connecting again after the LISTEN connection was lost (default 500 ms). */
  reconnectAfterMs?: number;
}

const DEFAULT_CHECK_MS = 400;
const DEFAULT_RECONNECT_MS = 500;

/**
 * How a node learns of changes made by the other nodes (docs/decisions/0014-a-cluster-node.md): the
 * database notifies every committed change to what nodes cache (a trigger, in the writing transaction)
 * with the change version it raised; the feed LISTENs and drops the changed entry from the cache.
 *
 * - A gap in the versions (a notification missed) drops everything.
 * - The safety net: every `checkEveryMs` the feed reads the change version; a version seen there that no
 *   notification brought by the next check drops everything. A missed change is applied within two
 *   checks.
 * - The LISTEN connection lost (PostgreSQL restarted, the network cut): nothing is known of what
 *   changed meanwhile, so the feed connects again and then drops everything.
 */
export class ChangeFeed {
  private client: pg.Client | null = null;
  /** The change version whose changes this node has applied. */
  private version = 0;
  /** A version the last check saw beyond `version`: if no notification brings it, everything goes. */
  private suspect: number | null = null;
  private checking = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** How many times everything was dropped (a gap, the safety net, a connection lost): for tests. */
  resyncs = 0;

  private constructor(private readonly options: ChangeFeedOptions) {
    this.timer = setInterval(() => void this.check(), options.checkEveryMs ?? DEFAULT_CHECK_MS);
    this.timer.unref();
  }

  /** Starts listening (unless `listen: false`) and checking; resolves once the first LISTEN is on. */
  static async start(options: ChangeFeedOptions): Promise<ChangeFeed> {
    const feed = new ChangeFeed(options);
    feed.version = await feed.readVersion();
    if (options.listen ?? true) await feed.connect();
    return feed;
  }

  /** Whether the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async readVersion(): Promise<number> {
    const { rows } = await this.options.pool.query<{ value: string }>(
      'SELECT value FROM change_version WHERE id = 1',
    );
    return Number(rows[0]?.value ?? 0);
  }

  private resync(version: number): void {
    this.resyncs++;
    this.version = Math.max(this.version, version);
    this.suspect = null;
    this.options.invalidate({ kind: 'everything' });
  }

  private receive(payload: string | undefined): void {
    let notification: ChangeNotification;
    try {
      notification = JSON.parse(payload ?? '') as ChangeNotification;
    } catch {
      return this.resync(this.version); // not ours to read: whatever it was, start afresh
    }
    if (notification.version > this.version + 1) return this.resync(notification.version);
    this.version = Math.max(this.version, notification.version);
    this.options.invalidate(notification.change);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: `atc changes ${this.options.nodeId}`.slice(0, 63),
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) this.receive(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        // What changed while no notification could arrive is unknown: everything goes.
        async () => this.resync(await this.readVersion()),
        () => this.scheduleReconnect(),
      );
    }, this.options.reconnectAfterMs ?? DEFAULT_RECONNECT_MS);
    this.reconnectTimer.unref();
  }

  /** The safety net (see the class). A check that fails (the database away) is tried at the next. */
  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      const current = await this.readVersion();
      if (this.suspect !== null && this.version < this.suspect) this.resync(this.suspect);
      this.suspect = current > this.version ? current : null;
    } catch {
      // Checked again at the next interval.
    } finally {
      this.checking = false;
    }
  }
}
