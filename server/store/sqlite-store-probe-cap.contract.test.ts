import { afterEach } from 'vitest';
import { CachedStore } from '../../backend/store/cached-store';
import { describeStoreContract } from '../../backend/store/store-contract/store-contract';
import { closeContractStores, seededSqlite } from '../test/contract-stores';

afterEach(closeContractStores);

// A tiny probe cap: the audit scans that only a large data set would otherwise take.
describeStoreContract(
  'sqlite (cached, probe cap 8)',
  async () => new CachedStore(await seededSqlite({ probeCap: 8 })),
);
