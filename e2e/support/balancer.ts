/**
 * The cluster e2e's load balancer: a real nginx (Debian's package; `.ci/run` installs it) in front of
 * both nodes. Writes its configuration from e2e/support/nginx.conf.template into
 * test-results/cluster-balancer/ and runs nginx in the foreground until Playwright stops it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BALANCER_LISTEN, BALANCER_PROXY_ADDRESS, CLUSTER_PORTS } from './cluster';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const dir = resolve('test-results/cluster-balancer');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const values: Record<string, string> = {
  DIR: dir,
  LISTEN: BALANCER_LISTEN,
  NODE_A: `127.0.0.1:${CLUSTER_PORTS[0]}`,
  NODE_B: `127.0.0.1:${CLUSTER_PORTS[1]}`,
  PROXY_ADDRESS: BALANCER_PROXY_ADDRESS,
};
const template = readFileSync(new URL('./nginx.conf.template', import.meta.url), 'utf8');
const config = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name]!);
writeFileSync(`${dir}/nginx.conf`, config);

const nginx = spawn(
  NGINX,
  ['-p', dir, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`, '-g', 'daemon off;'],
  {
    stdio: 'inherit',
  },
);
nginx.on('error', (error) => {
  console.error(`Cannot start nginx (${NGINX}): ${error.message}. Install it (apt-get install nginx).`);
  process.exit(2);
});
nginx.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
// nginx's fast shutdown.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => nginx.kill('SIGTERM'));
