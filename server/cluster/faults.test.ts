// @vitest-environment node
/**
 * Faults of a Data Center installation (issue 19): two real server processes, node-1 and node-2, on a
 * PostgreSQL of this file's own (it is stopped and started again), under token traffic. A node killed
 * with SIGKILL, and PostgreSQL away for 10 seconds: what was acknowledged stays, requests fail cleanly,
 * and every node comes back by itself.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import type { ClusterNode } from '../../contract/logging';
import type { CreatedToken } from '../../contract/tokens';
import { signInAdmin, startChildServer, type ChildServer } from '../test/child-server';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/throwaway-postgres';

const PASSWORDS = { ATC_ADMIN_PASSWORD: 'fault-admin', ATC_AUDITOR_PASSWORD: 'x', ATC_USER_PASSWORD: 'y' };
/** Within the time a node is seen as down (three missed heartbeats, 6 s), and back up. */
const NODE_STATE_WAIT = { timeout: 15_000, interval: 250 };

let postgres: ThrowawayPostgres;
let node1: ChildServer;
let node2: ChildServer;
let session: Record<string, string>;
let secret: string;
let tokenId: string;

/** An administrator's console request to a node. */
const asAdmin = (node: ChildServer, method: string, path: string, body?: unknown) =>
  fetch(`${node.base}${BASE_PATH}${path}`, {
    method,
    headers: { ...session, 'content-type': 'application/json', 'if-match': '*' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The nodes as the console's Cluster nodes table reads them (from `node`). */
async function nodesSeenBy(node: ChildServer): Promise<Record<string, ClusterNode['state']>> {
  const response = await asAdmin(node, 'GET', '/logging/loggers');
  if (!response.ok) return {};
  const { nodes } = (await response.json()) as { nodes: ClusterNode[] };
  return Object.fromEntries(nodes.map((n) => [n.id, n.state]));
}

async function createToken(node: ChildServer, description: string): Promise<Response> {
  return asAdmin(node, 'POST', '/tokens', {
    description,
    scope: 'READ_ONLY',
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ipRestrictions: [],
  });
}

/** What a client saw of its requests: the statuses, and whether every failure was problem+json. */
interface Traffic {
  statuses: number[];
  /** Requests that got no answer (the node was gone). */
  unanswered: number;
  /** Answers that were neither 200 nor a 503 with problem details. */
  unclean: string[];
  stop(): Promise<void>;
}

/** Token requests to `nodes` one after the other, round robin, until stopped. */
function tokenTraffic(nodes: () => ChildServer[]): Traffic {
  let running = true;
  const traffic: Traffic = { statuses: [], unanswered: 0, unclean: [], stop: async () => {} };
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const targets = nodes();
      const node = targets[i % targets.length]!;
      try {
        const response = await fetch(`${node.base}/rest/api/2/myself`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        traffic.statuses.push(response.status);
        const type = response.headers.get('content-type') ?? '';
        if (response.status !== 200 && !(response.status === 503 && type.includes('problem+json'))) {
          traffic.unclean.push(`${response.status} ${await response.text()}`);
        } else await response.arrayBuffer();
      } catch {
        traffic.unanswered++;
      }
      await new Promise((pause) => setTimeout(pause, 20));
    }
  })();
  traffic.stop = async () => {
    running = false;
    await loop;
  };
  return traffic;
}

/** The audit records of the test token's successful authentications (read from the database). */
async function auditedUses(): Promise<number> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM audit_records WHERE summary = 'Successful authentication' AND $1 = ANY(objects)`,
      [tokenId],
    );
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  postgres = await startThrowawayPostgres({ restartable: true });
  // One after the other: the first creates the accounts.
  node1 = await startChildServer(PASSWORDS, postgres.url, { node: 'node-1' });
  node2 = await startChildServer(PASSWORDS, postgres.url, { node: 'node-2' });
  session = await signInAdmin(node1.base, PASSWORDS.ATC_ADMIN_PASSWORD);
  // Every successful token request is an acknowledged write: its audit record.
  const current = (await (await asAdmin(node1, 'GET', '/settings')).json()) as Record<string, unknown> & {
    auditLogging: { successfulAuthentication: boolean };
  };
  const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = current;
  input.auditLogging.successfulAuthentication = true;
  expect((await asAdmin(node1, 'PUT', '/settings', input)).status).toBe(200);
  const response = await createToken(node1, 'traffic');
  expect(response.status, await response.clone().text()).toBe(201);
  const created = (await response.json()) as CreatedToken;
  secret = created.secret;
  tokenId = created.token.id;
}, 60_000);

afterAll(async () => {
  await Promise.all([node1?.stop(), node2?.stop()]);
  await postgres?.stop();
});

describe('Faults of a cluster', () => {
  it('a node killed under traffic: the other answers, nothing acknowledged is lost, it rejoins', async () => {
    const recordedBefore = await auditedUses();
    let alive = [node1, node2];
    const traffic = tokenTraffic(() => alive);
    await new Promise((settle) => setTimeout(settle, 500));

    await node2.kill();
    // The balancer notices and sends everything to node-1.
    alive = [node1];
    const whileDown = await createToken(node1, 'created while node-2 is down');
    expect(whileDown.status).toBe(201);
    const createdWhileDown = (await whileDown.json()) as CreatedToken;
    await expect.poll(async () => (await nodesSeenBy(node1))['node-2'], NODE_STATE_WAIT).toBe('down');

    await node2.restart();
    await expect.poll(async () => (await nodesSeenBy(node1))['node-2'], NODE_STATE_WAIT).toBe('up');
    alive = [node1, node2];
    await new Promise((settle) => setTimeout(settle, 300));
    await traffic.stop();

    // node-1 answered every request sent to it; node-2 only lost those under way when it was killed.
    expect(traffic.unclean).toEqual([]);
    expect(traffic.statuses.every((s) => s === 200)).toBe(true);
    expect(traffic.unanswered).toBeLessThanOrEqual(1);
    // What was acknowledged is there, seen from the node that was killed.
    const useOnNode2 = await fetch(`${node2.base}/rest/api/2/myself`, {
      headers: { authorization: `Bearer ${createdWhileDown.secret}` },
    });
    expect(useOnNode2.status).toBe(200);
    expect((await auditedUses()) - recordedBefore).toBeGreaterThanOrEqual(traffic.statuses.length);
  }, 40_000);

  it('PostgreSQL away for 10 s: clean 503s, nothing acknowledged lost, every node recovers by itself', async () => {
    const recordedBefore = await auditedUses();
    const traffic = tokenTraffic(() => [node1, node2]);
    await new Promise((settle) => setTimeout(settle, 300));
    const before = traffic.statuses.length;

    await postgres.pause();
    const downFor = new Promise((settle) => setTimeout(settle, 10_000));
    // A change asked for meanwhile is refused cleanly, on either node.
    for (const node of [node1, node2]) {
      const refused = await createToken(node, 'created while the database is away');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(((await refused.json()) as { detail: string }).detail).toBe(
        'The database cannot be reached. Try again in a moment.',
      );
    }
    // Monitoring and balancers see it on every node.
    for (const node of [node1, node2]) {
      await expect
        .poll(async () => (await fetch(`${node.base}/health`)).status, { timeout: 5_000 })
        .toBe(503);
      expect(await (await fetch(`${node.base}/health`)).json()).toMatchObject({
        status: 'unavailable',
        problems: [{ part: 'database', reason: 'the database cannot be reached' }],
      });
    }
    await downFor;
    const during = traffic.statuses.slice(before);
    await postgres.resume();

    // Back without a restart: both nodes answer the token and the console again.
    for (const node of [node1, node2]) {
      await expect
        .poll(async () => (await asAdmin(node, 'GET', '/settings')).status, { timeout: 10_000 })
        .toBe(200);
    }
    await expect
      .poll(async () => Object.values(await nodesSeenBy(node1)), NODE_STATE_WAIT)
      .toEqual(['up', 'up']);
    const after = traffic.statuses.length;
    await new Promise((settle) => setTimeout(settle, 500));
    await traffic.stop();

    expect(during).toContain(503);
    expect(traffic.unclean).toEqual([]);
    expect(traffic.unanswered).toBe(0);
    expect(traffic.statuses.slice(after).every((s) => s === 200)).toBe(true);
    const acknowledged = traffic.statuses.filter((s) => s === 200).length;
    // Every use answered 200 has its record (one answered 503 may have one too).
    expect((await auditedUses()) - recordedBefore).toBeGreaterThanOrEqual(acknowledged);
    expect((await createToken(node2, 'created after the database is back')).status).toBe(201);
    // Each node holds its node id again: a second process for node-1 is refused, as at a start.
    for (const node of [node1, node2]) {
      await expect
        .poll(async () => (await fetch(`${node.base}/health`)).status, { timeout: 5_000 })
        .toBe(200);
    }
    await expect(startChildServer(PASSWORDS, postgres.url, { node: 'node-1' })).rejects.toThrow(
      /Another server process is node node-1/,
    );
  }, 60_000);
});
