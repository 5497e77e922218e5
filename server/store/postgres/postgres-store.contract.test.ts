import { afterEach } from 'vitest';
import { CachedStore } from '../../../backend/store/cached-store';
import { data } from '../../../backend/store/store-contract/data-set';
import { describeStoreContract } from '../../../backend/store/store-contract/store-contract';
import { closeContractStores, closedAfterTest } from '../../test/contract-stores';
import { createTestSchema } from '../../test/postgres';
import { PostgresStore } from './postgres-store';

afterEach(closeContractStores);

// As the server reads it: through the cache, whose stale copies the contract would catch. A schema of
// its own for each test, seeded.
describeStoreContract('postgres (cached)', async () => {
  const store = closedAfterTest(await PostgresStore.open(await createTestSchema(), { nodes: data.nodes }));
  await store.seed(data);
  return new CachedStore(store);
});
