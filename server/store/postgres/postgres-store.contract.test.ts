import { afterAll, afterEach } from 'vitest';
import { CachedStore } from '../../../backend/store/cached-store';
import { data } from '../../../backend/store/store-contract/data-set';
import { describeStoreContract } from '../../../backend/store/store-contract/store-contract';
import { closeContractStores, closedAfterTest } from '../../test/contract-stores';
import { restoredSchema } from '../../test/restored-schema';
import { PostgresStore } from './postgres-store';

/** A schema migrated and seeded once, put back as it was before each test. */
const seeded = restoredSchema(async (url) => {
  const store = await PostgresStore.open(url, { nodes: data.nodes });
  await store.seed(data);
  await store.close();
});

afterEach(closeContractStores);
afterAll(() => seeded.end());

// As the server reads it: through the cache, whose stale copies the contract would catch.
describeStoreContract('postgres (cached)', async () => {
  const store = closedAfterTest(await PostgresStore.open(await seeded.url(), { nodes: data.nodes }));
  return new CachedStore(store);
});
