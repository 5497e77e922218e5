/**
 * The e2e run's Data Center cluster (the `cluster` project): two nodes on one embedded PostgreSQL,
 * started by `scripts/cluster.ts`, and nginx in front of them (e2e/support/balancer.ts). Their ports
 * follow the server project's unless set.
 */
const SERVER_PORT = Number(process.env.E2E_SERVER_PORT ?? 4180);
const FIRST_PORT = Number(process.env.E2E_CLUSTER_PORT ?? SERVER_PORT + 2);

export const CLUSTER_PORTS = [FIRST_PORT, FIRST_PORT + 1] as const;
/** Node A (node-1): the console the tests use. */
export const NODE_A = `http://127.0.0.1:${CLUSTER_PORTS[0]}`;
/** Node B (node-2): the other node, which REST clients call. */
export const NODE_B = `http://127.0.0.1:${CLUSTER_PORTS[1]}`;
/** Where nginx listens, round robin over both nodes. */
export const BALANCER_LISTEN = `127.0.0.1:${FIRST_PORT + 2}`;
export const BALANCER = `http://${BALANCER_LISTEN}`;
/** The address nginx connects to the nodes from: the nodes trust it (--trusted-proxy). */
export const BALANCER_PROXY_ADDRESS = '127.0.0.3';
