/** The seeded loggers and log entries (the lines the engine writes, made by its formatters). */
import {
  APP_LOGGERS,
  DEMO_NODES,
  ROOT_LOGGER,
  type LogEntry,
  type LoggerConfig,
  type LogLevel,
} from '../../contract/logging';
import { logLines } from '../../backend/auth/log-lines';
import { weightedTable, type Rng } from './random';
import { DAY, LOG_ENTRY_COUNT, LOG_WINDOW_DAYS } from './constants';
import { WRITE_METHODS, buildEndpoints } from './endpoints';
import { IsoFormatter, at } from './helpers';
import type { IpPool } from './ips';
import type { TokenInfo, Tokens } from './tokens';
import type { People } from './users';

export function buildLoggers(): LoggerConfig[] {
  const others: LoggerConfig[] = [
    { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
    { name: APP_LOGGERS.authService, configuredLevel: null },
    { name: APP_LOGGERS.rateLimiter, configuredLevel: null },
    { name: 'com.atlassian.jira', configuredLevel: 'INFO' },
    { name: 'com.atlassian.jira.security', configuredLevel: null },
    { name: 'com.atlassian.jira.web.filters.accesslog', configuredLevel: 'INFO' },
    { name: 'com.atlassian.plugin', configuredLevel: 'WARN' },
    { name: 'com.atlassian.seraph', configuredLevel: null },
    { name: 'org.apache.http', configuredLevel: 'WARN' },
    { name: 'org.apache.catalina', configuredLevel: 'WARN' },
  ];
  others.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return [{ name: ROOT_LOGGER, configuredLevel: 'WARN' }, ...others];
}

type LogKind =
  'success' | 'wrongToken' | 'passedOn' | 'verification' | 'ipRestricted' | 'denied' | 'rateLimited';

const LOG_MIX = weightedTable<LogKind>([
  ['success', 52],
  ['wrongToken', 8],
  ['passedOn', 6],
  ['verification', 8],
  ['ipRestricted', 6],
  ['denied', 7],
  ['rateLimited', 9],
]);

export function buildLogEntries(
  rng: Rng,
  nowMs: number,
  tokens: Tokens,
  people: People,
  ips: IpPool,
): LogEntry[] {
  const start = nowMs - LOG_WINDOW_DAYS * DAY;
  const endpoints = buildEndpoints(rng);
  const recent = tokens.all.filter((t) => t.usedUntil >= start);
  const recentTable = weightedTable(recent.map((t) => [t, t.weight] as const));
  const restricted = recent.filter((t) => t.token.ipRestrictions.length > 0);
  const readOnly = recent.filter((t) => t.token.scope === 'READ_ONLY');
  const times = Array.from({ length: LOG_ENTRY_COUNT }, () =>
    Math.floor(start + rng.next() * (nowMs - start)),
  ).sort((x, y) => x - y);
  const usable = (list: TokenInfo[], t: number) => {
    for (let i = 0; i < 8; i++) {
      const token = rng.pick(list);
      if (token.createdMs <= t && t <= token.usedUntil) return token;
    }
    return null;
  };

  interface Line {
    t: number;
    level: LogLevel;
    logger: string;
    username: string;
    clientIp: string;
    url: string;
    message: string;
    thread: string;
    node: string;
  }
  const lines: Line[] = [];
  for (const t of times) {
    const thread = `http-nio-8080-exec-${rng.int(1, 200)}`;
    const node = rng.pick(DEMO_NODES);
    const proxy = ips.proxies.pick(rng.next());
    const via = (ip: string) => (proxy ? `${ip},${proxy}` : ip);
    // Every line as the engine writes it: at INFO, through its formatters (backend/auth/log-lines.ts).
    const line = (
      username: string,
      ip: string,
      url: string,
      message: string,
      logger: string = APP_LOGGERS.authService,
    ) => lines.push({ t, level: 'INFO', logger, username, clientIp: via(ip), url, message, thread, node });
    const get = endpoints.get.pick(rng.next());
    let kind = LOG_MIX.pick(rng.next());

    const token =
      kind === 'ipRestricted' ? usable(restricted, t) : kind === 'denied' ? usable(readOnly, t) : null;
    if ((kind === 'ipRestricted' || kind === 'denied') && !token) kind = 'success';

    switch (kind) {
      case 'success': {
        let tk: TokenInfo | null = null;
        for (let i = 0; i < 8 && !tk; i++) {
          const c = recentTable.pick(rng.next());
          if (c.createdMs <= t && t <= c.usedUntil) tk = c;
        }
        if (!tk) {
          const who = people.attempts.pick(rng.next());
          const u = who.user.username;
          line(u, rng.pick(ips.clients), get, logLines.basicFailed(u, get));
          break;
        }
        const u = tk.owner.user.username;
        const ip = rng.pick(tk.ips);
        for (const message of logLines.authenticated(tk.token, u, get)) line(u, ip, get, message);
        break;
      }
      case 'wrongToken':
      case 'passedOn': {
        const who = people.attempts.pick(rng.next()).user.username;
        const ip = rng.chance(0.5) ? rng.pick(ips.noisy) : rng.pick(ips.clients);
        // A wrong bearer token names no user; a wrong Basic one is passed on to the password check.
        if (kind === 'wrongToken') line('anonymous', ip, get, logLines.bearerFailed(get));
        else line(who, ip, get, logLines.passedOn(who, get));
        break;
      }
      case 'verification': {
        const who = people.attempts.pick(rng.next()).user.username;
        line(who, rng.pick(ips.clients), get, logLines.basicFailed(who, get));
        break;
      }
      case 'ipRestricted': {
        const tk = token as TokenInfo;
        const ip = rng.pick(ips.clients);
        const u = tk.owner.user.username;
        line(u, ip, get, logLines.ipRestricted(tk.token, u, ip, get));
        break;
      }
      case 'denied': {
        const tk = token as TokenInfo;
        const method = WRITE_METHODS.pick(rng.next());
        const url = rng.pick(endpoints.write[method]);
        const u = tk.owner.user.username;
        line(u, rng.pick(tk.ips), url, logLines.permissionDenied(tk.token, u, method, url));
        break;
      }
      case 'rateLimited': {
        const tk = recentTable.pick(rng.next());
        const u = tk.owner.user.username;
        const limit = rng.pick([60, 120, 300]);
        const msg = logLines.rateLimited(tk.token, u, limit, rng.pick([10, 20, 50]), get);
        line(u, rng.pick(tk.ips), get, msg, APP_LOGGERS.rateLimiter);
        break;
      }
    }
  }

  // Some events write two lines: keep the newest LOG_ENTRY_COUNT.
  const skip = Math.max(0, lines.length - LOG_ENTRY_COUNT);
  const count = lines.length - skip;
  const fmt = new IsoFormatter();
  const out = new Array<LogEntry>(count);
  for (let k = 0; k < count; k++) {
    const l = at(lines, skip + k);
    out[count - 1 - k] = {
      id: 'log-' + String(1_000_000 + k + 1).slice(1),
      timestamp: fmt.format(l.t),
      level: l.level,
      logger: l.logger,
      node: l.node,
      thread: l.thread,
      username: l.username,
      clientIp: l.clientIp,
      url: l.url,
      message: l.message,
    };
  }
  return out;
}
