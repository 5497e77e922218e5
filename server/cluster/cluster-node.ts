import type { CachedStore } from '../../backend/store/cached-store';
import type { PostgresStore } from '../store/postgres/postgres-store';
import { ChangeFeed } from './change-feed';

export interface ClusterNodeOptions {
  /** The database's URL (the change feed opens a connection of its own). */
  url: string;
  store: PostgresStore;
  /** The cache the node's backend reads through. */
  cache: CachedStore;
  nodeId: string;
}

/**
 * What makes a server on PostgreSQL a node of a cluster (docs/decisions/0011-a-cluster-node.md): it
 * learns of the other nodes' changes (ChangeFeed).
 */
export async function startClusterNode(options: ClusterNodeOptions) {
  const feed = await ChangeFeed.start({
    url: options.url,
    pool: options.store.pool,
    invalidate: (change) => options.cache.invalidate(change),
    nodeId: options.nodeId,
  });
  return {
    feed,
    async stop() {
      await feed.stop();
    },
  };
}
