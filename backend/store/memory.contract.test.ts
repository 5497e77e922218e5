import { MemoryStore, noChanges } from './memory';
import { data } from './store-contract/data-set';
import { describeStoreContract } from './store-contract/store-contract';

describeStoreContract('memory', async () => new MemoryStore(data, noChanges()));
