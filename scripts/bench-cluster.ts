/**
 * How fast a change on one node reaches another: `npm run cluster`'s two nodes (separate processes on
 * one embedded PostgreSQL, durable), and ROUNDS times: a token created on node A is used on node B
 * (which keeps it in its cache), revoked on A, and B is called in a tight loop until it refuses it.
 * The time from A's 2xx to B's first 401 is the propagation time (goals of issue 19: p99 ≤ 1 s,
 * median ≤ 100 ms). Then the rate limit's accuracy: a token limited to LIMIT requests a minute (burst
 * BURST) called as fast as it goes for LIMIT_SECONDS from CLIENTS clients, spread over both nodes: the
 * requests answered 200, against what the limit allows in that time. Writes docs/bench-cluster.md.
 *
 * Usage: npm run bench:cluster     Environment: ROUNDS (200), PORTS (5366,5367), LIMIT (120),
 *                                  BURST (20), LIMIT_SECONDS (20), CLIENTS (4).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_PATH } from '../contract/api';
import type { CreatedToken } from '../contract/tokens';
import { percentile } from './browser';
import { machine, machineLoad } from './machine';

const ROUNDS = Number(process.env.ROUNDS ?? 200);
const PORTS = (process.env.PORTS ?? '5366,5367').split(',').map(Number) as [number, number];
const REPORT = join(import.meta.dirname, '..', 'docs', 'bench-cluster.md');
const PASSWORD = 'bench-cluster-admin';
const LIMIT = Number(process.env.LIMIT ?? 120);
const BURST = Number(process.env.BURST ?? 20);
const LIMIT_SECONDS = Number(process.env.LIMIT_SECONDS ?? 20);
const CLIENTS = Number(process.env.CLIENTS ?? 4);
/** Sequential token requests timed with rate limiting off, then on (the cost of the shared count). */
const LATENCY_REQUESTS = 1_000;
const [A, B] = PORTS.map((port) => `http://127.0.0.1:${port}`) as [string, string];

const cluster = spawn(
  process.execPath,
  ['--import', 'tsx', 'scripts/cluster.ts', '--ports', PORTS.join(','), '--data', 'data/bench-cluster'],
  { env: { ...process.env, ATC_ADMIN_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise<void>((ready, failed) => {
  cluster.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('Data Center cluster:')) ready();
  });
  cluster.on('exit', (code) => failed(new Error(`The cluster stopped (${code})`)));
});

try {
  // Signed in on A: the session cookie and the CSRF token the console would echo.
  const signIn = await fetch(`${A}${BASE_PATH}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const cookies = signIn.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith('atc_csrf='))!.split('=')[1]!;
  const onA = (path: string, init: RequestInit = {}) =>
    fetch(`${A}${BASE_PATH}${path}`, {
      ...init,
      headers: {
        cookie: cookies.join('; '),
        'x-csrf-token': csrf,
        'content-type': 'application/json',
        'if-match': '*',
      },
    });
  const onB = async (secret: string) =>
    (await fetch(`${B}/rest/api/2/myself`, { headers: { authorization: `Bearer ${secret}` } })).status;

  const times: number[] = [];
  let polls = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const created = await onA('/tokens', {
      method: 'POST',
      body: JSON.stringify({
        description: `bench-cluster ${round}`,
        scope: 'READ_ONLY',
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        ipRestrictions: [],
      }),
    });
    if (created.status !== 201 && created.status !== 200) throw new Error(`Create: ${created.status}`);
    const { token, secret } = (await created.json()) as CreatedToken;
    if ((await onB(secret)) !== 200) throw new Error('B does not know the new token');
    const revoked = await onA(`/tokens/${token.id}`, { method: 'DELETE' });
    if (!revoked.ok) throw new Error(`Revoke: ${revoked.status}`);
    const at = performance.now();
    for (;;) {
      polls++;
      if ((await onB(secret)) === 401) break;
      if (performance.now() - at > 10_000) throw new Error('B still accepts the token after 10 s');
    }
    times.push(performance.now() - at);
  }

  // The rate limit, with a token's requests spread over both nodes.
  const createToken = async (description: string) => {
    const created = await onA('/tokens', {
      method: 'POST',
      body: JSON.stringify({
        description,
        scope: 'READ_ONLY',
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        ipRestrictions: [],
      }),
    });
    return ((await created.json()) as CreatedToken).secret;
  };
  const setRateLimit = async (rateLimit: { enabled: boolean; requestsPerMinute: number; burst: number }) => {
    const current = (await (await onA('/settings')).json()) as Record<string, unknown>;
    const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = current;
    (input.authentication as { rateLimit: unknown }).rateLimit = rateLimit;
    const saved = await onA('/settings', { method: 'PUT', body: JSON.stringify(input) });
    if (!saved.ok) throw new Error(`Settings: ${saved.status}`);
    await new Promise((settle) => setTimeout(settle, 500)); // reaches B (see above)
  };
  /** Median and p99 of sequential token requests to both nodes in turn. */
  const latency = async (secret: string) => {
    const took: number[] = [];
    for (let i = 0; i < LATENCY_REQUESTS; i++) {
      const at = performance.now();
      const status = await (i % 2 === 0 ? onB(secret) : onNode(A, secret));
      if (status !== 200) throw new Error(`Latency request: ${status}`);
      took.push(performance.now() - at);
    }
    took.sort((a, b) => a - b);
    return { p50: percentile(took, 50), p99: percentile(took, 99) };
  };
  const onNode = async (node: string, secret: string) =>
    (await fetch(`${node}/rest/api/2/myself`, { headers: { authorization: `Bearer ${secret}` } })).status;

  const latencySecret = await createToken('bench-cluster latency');
  const latencyOff = await latency(latencySecret);
  await setRateLimit({ enabled: true, requestsPerMinute: 100_000, burst: 100_000 });
  const latencyOn = await latency(latencySecret);

  await setRateLimit({ enabled: true, requestsPerMinute: LIMIT, burst: BURST });
  const limited = await createToken('bench-cluster rate limit');
  const answered = { ok: 0, limited: 0, other: 0, byNode: [0, 0] };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = client; performance.now() - started < LIMIT_SECONDS * 1_000; i++) {
        const node = i % 2;
        const status = await onNode(node === 0 ? A : B, limited);
        if (status === 200) {
          answered.ok++;
          answered.byNode[node]!++;
        } else if (status === 429) answered.limited++;
        else answered.other++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1_000;
  await setRateLimit({ enabled: false, requestsPerMinute: LIMIT, burst: BURST });
  const allowed = BURST + (LIMIT * elapsed) / 60;
  const accuracy = answered.ok / allowed;

  times.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  const load = await machineLoad();
  const report = `# Benchmark: a change on one node reaching another

\`npm run bench:cluster\` (scripts/bench-cluster.ts), ${new Date().toISOString().slice(0, 10)}: \`npm run
cluster\`'s two nodes (separate processes, one embedded PostgreSQL 18 with fsync on, all on this
machine). ${ROUNDS} rounds of: a token created on node A, used once on node B (cached there), revoked on
A; then B is called in a tight loop (one request at a time) until it refuses the token. Measured from
A's 2xx to B's first 401, so it includes one request to B (${(polls / ROUNDS).toFixed(1)} requests to B
per round on average).

| propagation | time | goal |
| --- | ---: | ---: |
| median | ${ms(p50)} | ≤ 100 ms |
| p99 | ${ms(p99)} | ≤ 1,000 ms |
| max | ${ms(times.at(-1)!)} | |
| min | ${ms(times[0]!)} | |

## Rate limiting across nodes

A token limited to ${LIMIT} requests a minute with a burst of ${BURST}, called as fast as it goes by ${CLIENTS}
clients for ${elapsed.toFixed(1)} s, each alternating between node A and node B: the limit allows ${allowed.toFixed(1)}
requests in that time (the burst, and ${LIMIT} a minute after it).

| requests | count |
| --- | ---: |
| answered 200 | ${answered.ok} (node A ${answered.byNode[0]}, node B ${answered.byNode[1]}) |
| answered 429 | ${answered.limited} |
| other | ${answered.other} |
| **allowed ÷ limit** | **${accuracy.toFixed(3)}** (counted per node it would be about 2) |

The nodes share one token bucket per token in PostgreSQL (one UPSERT per token request while rate
limiting is on, in an unlogged table: no disk flush per request; decision 0014). What that costs, ${LATENCY_REQUESTS} sequential token requests to both nodes in turn:

| token request | median | p99 |
| --- | ---: | ---: |
| rate limiting off | ${ms(latencyOff.p50)} | ${ms(latencyOff.p99)} |
| rate limiting on (shared count) | ${ms(latencyOn.p50)} | ${ms(latencyOn.p99)} |

One server on SQLite counts in memory, as before (\`npm run bench:server\`).

## How changes propagate

How: the revocation's transaction notifies (a trigger, \`NOTIFY atc_changes\`) on commit; B's LISTEN
connection receives it and drops the token from B's cache (decision 0014). A missed notification is
caught by the safety-net check within about 0.8 s (server/cluster/change-feed.test.ts).

Machine: ${machine()}; idle ${Math.round(load.idle * 100)}% just after the run (load average ${load.loadAverage.toFixed(2)}).
`;
  writeFileSync(REPORT, report);
  console.log(report);
} finally {
  cluster.kill('SIGTERM');
}
