/** The HTTP side: a console session, autocannon runs, and alternating measurements of several targets. */
import autocannon from 'autocannon';
import { BASE_PATH } from '../../contract/api';
import type { Settings, SettingsInput } from '../../contract/settings';
import { percentile } from '../browser';
import { type ServerProcess, askServer } from './children';
import { CONCURRENCY, DURATION_MS, REQUEST_TIMEOUT_MS, WARMUP_MS } from './config';

export class ConsoleSession {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async signIn(username: string, password: string) {
    const response = await this.call('POST', '/session', { username, password });
    if (response.status !== 204) throw new Error(`Sign-in failed: ${response.status}`);
  }

  /** `timeoutMs` bounds the whole exchange, the body included. */
  async call(
    method: string,
    path: string,
    json?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    const all: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) all.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('atc_csrf');
    if (csrf && method !== 'GET') all['x-csrf-token'] = csrf;
    if (json !== undefined) all['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${BASE_PATH}${path}`, {
      method,
      headers: all,
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }

  async json<T>(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<T> {
    const response = await this.call(method, path, json, headers);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async changeSettings(change: (settings: SettingsInput) => void) {
    const response = await this.call('GET', '/settings');
    // If-Match wants the strong ETag; the server may answer a weak W/"settings-vN" (compressed answers).
    const etag = (response.headers.get('etag') ?? '').replace(/^W\//, '');
    const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = (await response.json()) as Settings;
    change(input);
    await this.json('PUT', '/settings', input, { 'if-match': etag });
  }

  async setLoggerLevel(name: string, level: 'INFO' | 'WARN') {
    await this.json('PUT', `/logging/loggers/${encodeURIComponent(name)}`, { level });
  }

  /** Back to no level of its own: it inherits its ancestor's. */
  async resetLoggerLevel(name: string) {
    await this.json('DELETE', `/logging/loggers/${encodeURIComponent(name)}`);
  }
}

interface Run {
  latencies: number[];
  errors: number;
  elapsedMs: number;
}

/**
 * CONCURRENCY keep-alive connections send GET `url` back to back for `durationMs`, from autocannon:
 * a load generator that costs far less CPU per request than `fetch`, so that the server, not the
 * client, is what limits the throughput on this machine.
 */
export async function load(url: string, headers: Record<string, string>, durationMs: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url,
        headers,
        connections: CONCURRENCY,
        duration: durationMs / 1000,
        timeout: REQUEST_TIMEOUT_MS / 1000,
      },
      (error: Error | null, finished: autocannon.Result) => (error ? fail(error) : done(finished)),
    );
    instance.on('response', (_client, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode !== 200) errors++;
    });
  });
  errors += result.errors + result.timeouts;
  return { latencies, errors, elapsedMs: performance.now() - start };
}

export interface Target {
  url: string;
  headers: Record<string, string>;
}

export interface Measurement {
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests of the warm-up and the measurement. */
  totalRequests: number;
  /** CPU time of the server process per request, and its share of one core, during the measurement. */
  serverCpuMicrosPerRequest: number;
  serverCpuShare: number;
  /** The load generator's (this process's) share of one core. */
  clientCpuShare: number;
}

export const LOG_ENTRIES_SAMPLES = 20;

/** Length of one slice of a measurement: the targets take turns, so that drift hits them alike. */
const SLICE_MS = 1_000;

/**
 * A warm-up of every target, then DURATION_MS of measurement per target, taken in alternating
 * slices of SLICE_MS (A B B A A B …), each with the CPU time of the server process and of this one.
 */
export async function measureAlternating(server: ServerProcess, targets: Target[]): Promise<Measurement[]> {
  const totals = targets.map(() => ({
    latencies: [] as number[],
    errors: 0,
    elapsedMs: 0,
    warmUpRequests: 0,
    serverMicros: 0,
    clientMicros: 0,
  }));
  for (const [i, target] of targets.entries()) {
    totals[i]!.warmUpRequests = (await load(target.url, target.headers, WARMUP_MS)).latencies.length;
  }
  const slices = Math.max(1, Math.round(DURATION_MS / SLICE_MS));
  for (let slice = 0; slice < slices; slice++) {
    const order = [...targets.keys()];
    if (slice % 2 === 1) order.reverse();
    for (const i of order) {
      const target = targets[i]!;
      const serverBefore = (await askServer(server.child, { type: 'cpu' }, 'cpu')).micros;
      const clientBefore = process.cpuUsage();
      const run = await load(target.url, target.headers, DURATION_MS / slices);
      const client = process.cpuUsage(clientBefore);
      const serverAfter = (await askServer(server.child, { type: 'cpu' }, 'cpu')).micros;
      const total = totals[i]!;
      for (const latency of run.latencies) total.latencies.push(latency);
      total.errors += run.errors;
      total.elapsedMs += run.elapsedMs;
      total.serverMicros += serverAfter - serverBefore;
      total.clientMicros += client.user + client.system;
    }
  }
  return totals.map((total) => {
    const sorted = total.latencies.sort((a, b) => a - b);
    return {
      requests: sorted.length,
      errors: total.errors,
      rps: (sorted.length / total.elapsedMs) * 1000,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      totalRequests: total.warmUpRequests + sorted.length,
      serverCpuMicrosPerRequest: total.serverMicros / sorted.length,
      serverCpuShare: total.serverMicros / 1000 / total.elapsedMs,
      clientCpuShare: total.clientMicros / 1000 / total.elapsedMs,
    };
  });
}
