import { afterAll, beforeAll, describe } from 'vitest';
import { DATABASES, startServer, type Database, type RunningServer } from './harness';

/**
 * Two servers for the HTTP tests of server-*.test.ts, on each database in turn ("on SQLite", "on
 * PostgreSQL"): `direct` trusts no proxy (clients connect directly), `proxied` trusts a proxy on
 * loopback (every request of these tests comes from 127.0.0.1). Started once per database for the
 * tests of a file; the tests read them while they run (the exports are live bindings).
 */
export let direct: RunningServer;
export let proxied: RunningServer;

export function describeOnEachDatabase(body: (database: Database) => void): void {
  describe.each(DATABASES)('on %s', (database) => {
    beforeAll(async () => {
      [direct, proxied] = await Promise.all([
        startServer([], undefined, { database }),
        startServer(['127.0.0.1'], undefined, { database }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([direct?.close(), proxied?.close()]);
    });

    body(database);
  });
}
