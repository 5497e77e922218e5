/**
 * The server's stores for the store contract (backend/store/store-contract/), seeded with its data set;
 * a test file that opens them calls `afterEach(closeContractStores)`.
 */
import { data } from '../../backend/store/store-contract/data-set';
import { SqliteStore } from '../store/sqlite-store';

const opened: { close(): void | Promise<void> }[] = [];

/** Closes `store` at the end of the test (closeContractStores). */
export function closedAfterTest<T extends { close(): void | Promise<void> }>(store: T): T {
  opened.push(store);
  return store;
}

/** Closes the stores opened since the last call. */
export async function closeContractStores(): Promise<void> {
  for (const store of opened.splice(0)) await store.close();
}

/** An in-memory SQLite store, seeded. */
export async function seededSqlite(options: { probeCap?: number } = {}): Promise<SqliteStore> {
  const store = closedAfterTest(SqliteStore.open(':memory:', { nodes: data.nodes, ...options }));
  await store.seed(data);
  return store;
}
