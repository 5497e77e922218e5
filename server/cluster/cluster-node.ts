import { readFileSync } from 'node:fs';
import type { CachedStore } from '../../backend/store/cached-store';
import { HEARTBEAT_MS, type PostgresStore } from '../store/postgres/postgres-store';
import { ChangeFeed } from './change-feed';
import { SharedFailureCounter } from './shared-failure-counter';
import type { SharedRateLimiter } from './shared-rate-limiter';

/** The application's version, as a node tells the others. */
export const APP_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** How often a node looks for due cluster-wide duties (level reverts) without waiting for a request. */
const DUTY_CHECK_MS = 1_000;
/** How often the tables that grow with traffic are trimmed (once in the installation). */
export const TRIM_EVERY_MS = 60_000;
/**
 * The log lines the nodes copy into the database that are kept (the newest; a few hundred bytes each):
 * at INFO or DEBUG under heavy traffic that is the last hours, and each node's log file has the rest.
 */
export const MAX_SHIPPED_LOG_LINES = 500_000;

export interface ClusterNodeOptions {
  /** The database's URL (the change feed opens a connection of its own). */
  url: string;
  store: PostgresStore;
  /** The cache the node's backend reads through. */
  cache: CachedStore;
  nodeId: string;
  /** Puts back due temporary levels, once in the installation (the backend's `applyLevelReverts`). */
  applyLevelReverts(nodeId: string): Promise<void>;
  /** The installation's token buckets (its full ones are deleted with the trim). */
  limiter: SharedRateLimiter;
}

/**
 * What makes a server on PostgreSQL a node of a cluster (docs/decisions/0014-a-cluster-node.md): it
 * learns of the other nodes' changes (ChangeFeed, started before the node serves), looks for due level
 * reverts every second (applied under an advisory lock, by whichever node gets it), trims the shipped
 * log lines and the full token buckets every minute (likewise), and, once it listens, registers
 * itself and heartbeats.
 */
export async function startClusterNode(options: ClusterNodeOptions) {
  const { store, nodeId } = options;
  const feed = await ChangeFeed.start({
    url: options.url,
    pool: store.pool,
    invalidate: (change) => {
      options.cache.invalidate(change);
      store.invalidate(change);
    },
    nodeId,
  });
  const report = (what: string) => (error: unknown) =>
    console.error(`Cluster node ${nodeId}: ${what} failed: ${(error as Error).message}`);
  const duties = setInterval(
    () => void options.applyLevelReverts(nodeId).catch(report('level revert')),
    DUTY_CHECK_MS,
  );
  duties.unref();
  const trim = setInterval(
    () => void store.exclusively('trim', () => trimTables(options)).catch(report('trim')),
    TRIM_EVERY_MS,
  );
  trim.unref();
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    feed,
    /** Registers the node (once it listens, at `address`) and heartbeats. */
    async join(address: string) {
      await store.registerNode({ id: nodeId, address, version: APP_VERSION });
      heartbeat = setInterval(() => void store.heartbeat(nodeId).catch(report('heartbeat')), HEARTBEAT_MS);
      heartbeat.unref();
    },
    /** Leaves the cluster: shown as down at once. */
    async stop() {
      clearInterval(heartbeat);
      clearInterval(duties);
      clearInterval(trim);
      await store.nodeStopped(nodeId).catch(report('leaving'));
      await feed.stop();
    },
  };
}

/**
 * Keeps the shipped log lines to MAX_SHIPPED_LOG_LINES, and deletes the token buckets that are full and
 * the failed sign-ins that are forgotten.
 */
export async function trimTables(options: Pick<ClusterNodeOptions, 'store' | 'cache' | 'limiter'>) {
  await options.store.trimLogEntries(MAX_SHIPPED_LOG_LINES);
  const { rateLimit } = (await options.cache.getSettings()).authentication;
  await options.limiter.purgeFull(rateLimit, Date.now());
  await SharedFailureCounter.purge(options.store.pool, Date.now());
}
