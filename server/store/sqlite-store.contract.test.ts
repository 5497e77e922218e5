import { afterEach } from 'vitest';
import { CachedStore } from '../../backend/store/cached-store';
import { describeStoreContract } from '../../backend/store/store-contract/store-contract';
import { closeContractStores, seededSqlite } from '../test/contract-stores';

afterEach(closeContractStores);

// As the server reads it: through the cache, whose stale copies the contract would catch.
describeStoreContract('sqlite (cached)', async () => new CachedStore(await seededSqlite()));
