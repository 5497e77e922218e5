/**
 * The deterministic demo data set: users, groups, API tokens, 100,000 audit records, loggers and
 * log entries, all derived from a random seed and an anchor time (`now`).
 *
 * Same `now` + `seed` + `auditRecordCount` ⇒ deep-equal output. Every section draws from its own
 * random sub-stream (`rng.fork(...)`), so that e.g. a different audit record count leaves the users
 * and tokens unchanged.
 *
 * Performance: the audit records are the bulk. Their timestamps are numbers (sorted as a
 * Float64Array), formatted to ISO strings by a day-cached formatter, and records share frozen
 * sub-objects (author, affected objects of a token, empty arrays) where they are equal.
 */
import {
  ANONYMOUS_AUTHOR,
  AUDIT_CATEGORY,
  FAILED_ATTEMPTS_INTERVAL_MS,
  LOGGING_CATEGORY,
  type AffectedObject,
  type AuditEvent,
  type AuditRecord,
  type ChangedValue,
  type FailureReason,
} from '../../contract/audit';
import {
  APP_LOGGERS,
  DEMO_NODES,
  ROOT_LOGGER,
  type LogEntry,
  type LoggerConfig,
  type LogLevel,
} from '../../contract/logging';
import { BASE_PATH } from '../../contract/api';
import { outcomeOf } from '../../contract/histogram';
import { attemptSource } from '../../contract/ip';
import { SCOPE_LABELS, type TokenScope } from '../../contract/tokens';
import type { Role, User } from '../../contract/users';
import { generateSecret, hashSecret } from '../../backend/auth/secrets';
import {
  publicToken,
  tokenRotatedRecord,
  tokenUpdatedRecord,
  type AuditSource,
} from '../../backend/services/tokens';
import type { DataSet, NewAuditRecord, StoredToken } from '../../backend/store/port';
import { createRng, DEFAULT_SEED, weightedTable, type Rng, type WeightedTable } from './random';

export { DEFAULT_SEED } from './random';

export interface DemoDataOptions {
  /** The anchor time: every date of the data set is relative to it. */
  now: Date;
  seed?: number;
  /** Exact number of audit records (default 100,000). Very small counts (< ~500) may miss rare events. */
  auditRecordCount?: number;
}

export type DemoData = DataSet & {
  /**
   * Token id → plain secret. Kept ONLY so that the demo traffic generator can act as real clients
   * with valid tokens. The store never sees it (it holds `secretHash` only), and nothing may send it
   * to the console.
   */
  tokenSecrets: Map<string, string>;
};

export const DEFAULT_AUDIT_RECORD_COUNT = 100_000;
/** Audit records span this many days before `now`. */
export const AUDIT_WINDOW_DAYS = 90;
/** Log entries span this many days before `now`. */
export const LOG_WINDOW_DAYS = 7;
export const LOG_ENTRY_COUNT = 400;
/** "Expiring soon" in the demo: expires within this many days (the default expiry warning). */
export const EXPIRING_SOON_DAYS = 14;
export const USER_COUNT = 60;
export const TOKEN_COUNT = 320;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function generateDemoData(options: DemoDataOptions): DemoData {
  const nowMs = options.now.getTime();
  if (!Number.isFinite(nowMs)) throw new Error('generateDemoData: invalid `now`');
  const rng = createRng(options.seed ?? DEFAULT_SEED);
  const auditRecordCount = Math.max(0, Math.floor(options.auditRecordCount ?? DEFAULT_AUDIT_RECORD_COUNT));

  const ips = buildIpPool(rng.fork('ips'));
  const people = buildUsers(rng.fork('users'), ips);
  const ids = new TokenIds(rng.fork('token-ids'));
  const tokens = buildTokens(rng.fork('tokens'), rng.fork('secrets'), nowMs, people, ips, ids);
  const auditRecords = buildAuditRecords(
    rng.fork('audit'),
    nowMs,
    auditRecordCount,
    people,
    tokens,
    ips,
    ids,
  );
  const logEntries = buildLogEntries(rng.fork('logs'), nowMs, tokens, people, ips);

  const groups = [...new Set(people.all.flatMap((p) => p.user.groups))].sort();
  const tokenSecrets = new Map<string, string>();
  for (const t of tokens.all) tokenSecrets.set(t.token.id, t.secret);

  return {
    users: people.all.map((p) => p.user),
    groups,
    tokens: tokens.all.map((t) => t.token),
    auditRecords,
    nodes: [...DEMO_NODES],
    loggers: buildLoggers(),
    // node-2 still runs the rate limiter at DEBUG from an earlier troubleshooting session, set in its
    // own log4j file: the Logging page shows where nodes differ.
    nodeLoggers: { 'node-2': [{ name: APP_LOGGERS.rateLimiter, configuredLevel: 'DEBUG' }] },
    logEntries,
    tokenSecrets,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

function at<T>(items: readonly T[], index: number): T {
  return items[index] as T;
}

/**
 * `Date#toISOString` for integer milliseconds, caching the date part (fast for sorted input). Builds
 * each string in one step (`String.fromCharCode`), so that every timestamp is one flat string rather
 * than a chain of concatenations: 100,000 of them stay in memory.
 */
class IsoFormatter {
  private day = Number.NaN;
  /** Character codes of "YYYY-MM-DDTHH:MM:SS.mmmZ"; the date part changes only with the day. */
  private readonly codes = Uint16Array.from('0000-00-00T00:00:00.000Z', (c) => c.charCodeAt(0));

  format(ms: number): string {
    const codes = this.codes;
    const day = Math.floor(ms / DAY);
    if (day !== this.day) {
      this.day = day;
      const date = new Date(day * DAY).toISOString();
      for (let i = 0; i < 10; i++) codes[i] = date.charCodeAt(i);
    }
    let rest = ms - day * DAY;
    const h = Math.floor(rest / HOUR);
    rest -= h * HOUR;
    const m = Math.floor(rest / MINUTE);
    rest -= m * MINUTE;
    const s = Math.floor(rest / SECOND);
    rest -= s * SECOND;
    codes[11] = 48 + Math.floor(h / 10);
    codes[12] = 48 + (h % 10);
    codes[14] = 48 + Math.floor(m / 10);
    codes[15] = 48 + (m % 10);
    codes[17] = 48 + Math.floor(s / 10);
    codes[18] = 48 + (s % 10);
    codes[20] = 48 + Math.floor(rest / 100);
    codes[21] = 48 + (Math.floor(rest / 10) % 10);
    codes[22] = 48 + (rest % 10);
    // Explicit arguments: much faster than `apply` or spreading while the code is still cold.
    const c = codes;
    // prettier-ignore
    return String.fromCharCode(
      c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!,
      c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!, c[22]!, c[23]!,
    );
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A frozen empty array, shared by every record with nothing to list (typed to fit any array). */
const EMPTY = Object.freeze([]) as unknown as never[];
/** Records share frozen sub-objects where they are equal; the types stay the contract's (mutable) ones. */
function shared<T>(value: T): T {
  return Object.freeze(value);
}

// ---------------------------------------------------------------------------------------------
// IP addresses
// ---------------------------------------------------------------------------------------------

interface IpPool {
  /** Public-looking client addresses (about 60, a few IPv6). */
  clients: string[];
  /** A few addresses that produce many failed attempts. */
  noisy: string[];
  /** Load balancer / proxy addresses, null: direct. */
  proxies: WeightedTable<string | null>;
  proxyList: readonly (string | null)[];
  /** Index into proxyList, by weight. */
  proxyIndex: WeightedTable<number>;
}

/** First octets of public unicast ranges (no private, documentation, CGNAT or multicast ranges). */
const PUBLIC_FIRST_OCTETS = [
  5, 31, 37, 46, 62, 77, 78, 80, 81, 82, 84, 85, 87, 88, 89, 91, 93, 94, 109, 141, 145, 178, 185, 188, 193,
  194, 195, 212, 213, 217,
];
const IPV6_PREFIXES = ['2a02:8070', '2a01:c22', '2003:e2', '2a00:1450'];

function buildIpPool(rng: Rng): IpPool {
  const seen = new Set<string>();
  const v4 = (): string => {
    for (;;) {
      const ip = `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(1, 254)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
      if (!seen.has(ip)) {
        seen.add(ip);
        return ip;
      }
    }
  };
  const hex = () => rng.int(0x1000, 0xffff).toString(16);
  const v6 = (): string => `${rng.pick(IPV6_PREFIXES)}:${hex()}:${hex()}::${hex()}`;

  // The vendor's example address is one of the regular clients.
  seen.add('91.41.231.119');
  const clients = ['91.41.231.119'];
  while (clients.length < 56) clients.push(v4());
  for (let i = 0; i < 4; i++) clients.push(v6());
  const noisy = [v4(), v4(), v4(), v6()];
  const proxyWeights: [string | null, number][] = [
    ['100.100.0.6', 45],
    ['100.100.0.7', 30],
    [null, 25],
  ];
  return {
    clients,
    noisy,
    proxies: weightedTable(proxyWeights),
    proxyList: proxyWeights.map(([ip]) => ip),
    proxyIndex: weightedTable(proxyWeights.map(([, w], i) => [i, w] as const)),
  };
}

/** Restrictions a token can carry, with addresses that satisfy them (none of them is in the client pool). */
const IP_RESTRICTION_PRESETS: readonly { restrictions: string[]; allowed: string[] }[] = [
  { restrictions: ['10.20.0.0/16'], allowed: ['10.20.4.17', '10.20.8.2', '10.20.31.250'] },
  {
    restrictions: ['192.168.10.0/24', '2001:db8::/32'],
    allowed: ['192.168.10.44', '2001:db8:85a3::8a2e:370:7334'],
  },
  { restrictions: ['203.0.113.25'], allowed: ['203.0.113.25'] },
  { restrictions: ['198.51.100.0/24'], allowed: ['198.51.100.7', '198.51.100.120'] },
  { restrictions: ['2001:db8:1234::/48'], allowed: ['2001:db8:1234::10', '2001:db8:1234:5::3'] },
  { restrictions: ['172.16.0.0/12', '10.0.0.0/8'], allowed: ['172.16.5.9', '10.1.2.3', '10.44.0.12'] },
  {
    restrictions: ['203.0.113.10', '203.0.113.11', '198.51.100.0/28'],
    allowed: ['203.0.113.10', '203.0.113.11', '198.51.100.5'],
  },
  { restrictions: ['10.30.1.15'], allowed: ['10.30.1.15'] },
];

// ---------------------------------------------------------------------------------------------
// Users and groups
// ---------------------------------------------------------------------------------------------

interface Person {
  user: User;
  /** A service account (automation): its tokens carry most of the traffic. */
  service: boolean;
  /** The address the person usually works from. */
  homeIp: string;
  /** Frozen affected object for audit records. */
  ref: AffectedObject;
  refOnly: AffectedObject[];
}

interface People {
  all: Person[];
  byName: Map<string, Person>;
  admins: Person[];
  /** For failed attempts: who (or which account) tried. */
  attempts: WeightedTable<Person>;
  /** Owners of the randomly assigned tokens. */
  owners: WeightedTable<Person>;
}

interface FixedUser {
  username: string;
  displayName: string;
  role: Role;
  groups: string[];
  service?: boolean;
}

/** The demo accounts (contract/demo.ts), the seed's automation user, a second admin, service accounts. */
const FIXED_USERS: readonly FixedUser[] = [
  {
    username: 'admin',
    displayName: 'Alice Admin',
    role: 'admin',
    groups: ['jira-administrators', 'jira-software-users', 'api-users'],
  },
  {
    username: 'auditor',
    displayName: 'Arthur Auditor',
    role: 'auditor',
    groups: ['auditors', 'jira-software-users'],
  },
  {
    username: 'jdoe',
    displayName: 'John Doe',
    role: 'user',
    groups: ['jira-software-users', 'developers', 'api-users'],
  },
  {
    username: 'automation-user',
    displayName: 'Automation User',
    role: 'user',
    groups: ['automation', 'api-users'],
    service: true,
  },
  {
    username: 'mweber',
    displayName: 'Markus Weber',
    role: 'admin',
    groups: ['jira-administrators', 'jira-software-users', 'operations', 'api-users'],
  },
  {
    username: 'jenkins',
    displayName: 'Jenkins Build Server',
    role: 'user',
    groups: ['automation', 'api-users'],
    service: true,
  },
  {
    username: 'svc-grafana',
    displayName: 'Grafana Service Account',
    role: 'user',
    groups: ['automation', 'api-users'],
    service: true,
  },
  {
    username: 'svc-backup',
    displayName: 'Backup Service Account',
    role: 'user',
    groups: ['automation', 'api-users'],
    service: true,
  },
];

// prettier-ignore
const FIRST_NAMES = [
  'Emma', 'Liam', 'Sofia', 'Noah', 'Mia', 'Lukas', 'Hannah', 'Mateo', 'Aisha', 'Yuki', 'Priya', 'Oliver',
  'Chloé', 'Jonas', 'Fatima', 'Carlos', 'Ingrid', 'Mohammed', 'Elena', 'Tomasz', 'Anna', 'Daniel', 'Sara',
  'Kenji', 'Lea', 'Ravi', 'Olga', 'Pierre', 'Isabel', 'Ahmed', 'Nina', 'Felix', 'Leonie', 'Hugo', 'Zoe',
  'Ben', 'Marta', 'Erik', 'Amira', 'Paul', 'Julia', 'Viktor', 'Lina', 'Samuel', 'Maja', 'David', 'Clara',
  'Tim', 'Laura', 'Jan', 'Grace', 'Omar', 'Ines', 'Sven',
];
// prettier-ignore
const LAST_NAMES = [
  'Müller', 'Schmidt', 'Garcia', 'Rossi', 'Nowak', 'Tanaka', 'Patel', 'Johansson', 'Dubois', 'Kowalski',
  'Silva', 'Nguyen', 'Hansen', 'Fischer', 'Becker', "O'Brien", 'Martin', 'López', 'Kim', 'Andersen',
  'Wagner', 'Novak', 'Costa', 'Yılmaz', 'Ivanova', 'Murphy', 'Bauer', 'Fernández', 'Hoffmann', 'Svensson',
  'Horváth', 'Kaya', 'Lindqvist', 'Moreau', 'Peters', 'Chen', 'Ali', 'Singh', 'Schneider', 'Keller',
  'Jansen', 'Brown', 'Wilson', 'Taylor', 'Okafor', 'Sato', 'Larsen', 'Meyer',
];

const TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ı: 'i' };

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüßı]/g, (c) => TRANSLITERATION[c] ?? c)
    .normalize('NFD')
    .replace(/[^a-z]/g, '');
}

function buildUsers(rng: Rng, ips: IpPool): People {
  const specs: FixedUser[] = [...FIXED_USERS];
  const usernames = new Set(specs.map((s) => s.username));
  const displayNames = new Set(specs.map((s) => s.displayName));
  const departments = weightedTable<string[]>([
    [['developers'], 40],
    [['support', 'jira-servicedesk-users'], 20],
    [['qa', 'developers'], 10],
    [['operations'], 10],
    [['developers', 'operations'], 8],
    [['support'], 7],
    [[], 5],
  ]);
  while (specs.length < USER_COUNT) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const displayName = `${first} ${last}`;
    if (displayNames.has(displayName)) continue;
    displayNames.add(displayName);
    const base = slug(first).charAt(0) + slug(last);
    let username = base;
    for (let n = 2; usernames.has(username); n++) username = `${base}${n}`;
    usernames.add(username);
    const groups = ['jira-software-users', ...departments.pick(rng.next())];
    if (rng.chance(0.45)) groups.push('api-users');
    if (rng.chance(0.5)) groups.push('confluence-users');
    specs.push({ username, displayName, role: 'user', groups });
  }

  const all = specs.map((spec, i): Person => {
    const key = `JIRAUSER${10000 + i}`;
    const ref = shared<AffectedObject>({ type: 'user', id: key, name: spec.username });
    return {
      user: {
        key,
        username: spec.username,
        displayName: spec.displayName,
        email: `${spec.username}@example.com`,
        groups: [...new Set(spec.groups)].sort(),
        role: spec.role,
      },
      service: spec.service ?? false,
      homeIp: rng.pick(ips.clients),
      ref,
      refOnly: shared([ref]),
    };
  });
  const byName = new Map(all.map((p) => [p.user.username, p]));
  const weight = (p: Person, service: number, api: number) =>
    p.service ? service : p.user.groups.includes('api-users') ? api : 1;
  return {
    all,
    byName,
    admins: all.filter((p) => p.user.role === 'admin'),
    attempts: weightedTable(all.map((p) => [p, weight(p, 5, 3)] as const)),
    owners: weightedTable(
      all.filter((p) => p.user.role !== 'auditor').map((p) => [p, weight(p, 4, 3)] as const),
    ),
  };
}

function person(people: People, username: string): Person {
  const p = people.byName.get(username);
  if (!p) throw new Error(`demo seed: unknown user ${username}`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

type ExpiryState = 'never' | 'active' | 'soon' | 'expired';

interface TokenPlan {
  owner: string;
  description?: string;
  scope?: TokenScope;
  expiry?: ExpiryState;
  neverUsed?: boolean;
  /** Index into IP_RESTRICTION_PRESETS, or -1: no restriction. */
  restriction?: number;
  /** Carries a lot of traffic (CI, dashboards, backups). */
  heavy?: boolean;
  createdBy?: string;
}

/** Hand-made tokens: every state is present whatever the seed, and the demo accounts have several. */
const FIXED_TOKENS: readonly TokenPlan[] = [
  {
    owner: 'admin',
    description: 'Jira admin scripts',
    scope: 'READ_WRITE',
    expiry: 'active',
    restriction: -1,
  },
  { owner: 'admin', scope: 'READ_ONLY', expiry: 'never', restriction: -1 },
  { owner: 'admin', description: 'Postman testing', scope: 'READ_WRITE', expiry: 'soon', restriction: -1 },
  {
    owner: 'admin',
    description: 'Old migration script',
    scope: 'READ_WRITE',
    expiry: 'expired',
    restriction: -1,
  },
  {
    owner: 'admin',
    description: 'Backup script',
    scope: 'READ_ONLY',
    expiry: 'active',
    restriction: 0,
    heavy: true,
  },
  {
    owner: 'admin',
    description: 'Confluence sync',
    scope: 'READ_ONLY',
    expiry: 'active',
    neverUsed: true,
    restriction: -1,
  },
  { owner: 'admin', description: 'Zapier integration', scope: 'READ_WRITE', expiry: 'soon', restriction: 1 },
  { owner: 'jdoe', scope: 'READ_ONLY', expiry: 'active', restriction: -1 },
  {
    owner: 'jdoe',
    description: 'VS Code Jira extension',
    scope: 'READ_WRITE',
    expiry: 'soon',
    restriction: -1,
  },
  { owner: 'jdoe', description: 'Jira CLI', scope: 'READ_WRITE', expiry: 'expired', restriction: -1 },
  {
    owner: 'jdoe',
    description: 'Personal dashboard',
    scope: 'READ_ONLY',
    expiry: 'never',
    neverUsed: true,
    restriction: -1,
  },
  { owner: 'jdoe', description: 'Laptop scripts', scope: 'READ_ONLY', expiry: 'active', restriction: 2 },
  {
    owner: 'jdoe',
    description: 'Test token',
    scope: 'READ_WRITE',
    expiry: 'expired',
    neverUsed: true,
    restriction: -1,
  },
  {
    owner: 'automation-user',
    description: 'Jenkins CI',
    scope: 'READ_ONLY',
    expiry: 'never',
    restriction: 0,
    heavy: true,
    createdBy: 'admin',
  },
  {
    owner: 'automation-user',
    description: 'Grafana dashboard',
    scope: 'READ_ONLY',
    expiry: 'active',
    restriction: -1,
    heavy: true,
    createdBy: 'admin',
  },
  {
    owner: 'automation-user',
    description: 'Nightly backup',
    scope: 'READ_ONLY',
    expiry: 'never',
    restriction: 7,
    heavy: true,
    createdBy: 'admin',
  },
  {
    owner: 'automation-user',
    description: 'Release pipeline',
    scope: 'READ_WRITE',
    expiry: 'active',
    restriction: 5,
    heavy: true,
    createdBy: 'admin',
  },
  {
    owner: 'automation-user',
    description: 'Zapier integration',
    scope: 'READ_WRITE',
    expiry: 'active',
    restriction: -1,
  },
  {
    owner: 'automation-user',
    description: 'Slack bot',
    scope: 'READ_WRITE',
    expiry: 'soon',
    restriction: -1,
  },
  {
    owner: 'automation-user',
    description: 'Old Jenkins CI',
    scope: 'READ_ONLY',
    expiry: 'expired',
    restriction: -1,
  },
  {
    owner: 'automation-user',
    description: 'GitHub Actions',
    scope: 'READ_WRITE',
    expiry: 'active',
    restriction: 4,
  },
  {
    owner: 'automation-user',
    description: 'Prometheus exporter',
    scope: 'READ_ONLY',
    expiry: 'never',
    neverUsed: true,
    restriction: -1,
  },
  { owner: 'automation-user', scope: 'READ_ONLY', expiry: 'expired', restriction: -1 },
  {
    owner: 'auditor',
    description: 'Audit export script',
    scope: 'READ_ONLY',
    expiry: 'active',
    restriction: 3,
  },
];

// prettier-ignore
const HUMAN_DESCRIPTIONS = [
  'Jira CLI', 'Postman testing', 'VS Code Jira extension', 'IntelliJ task integration', 'Excel report',
  'Personal dashboard', 'Python scripts', 'Release notes generator', 'Time tracking sync', 'Laptop scripts',
  'Test token', 'Migration script', 'Confluence sync', 'Sprint report', 'Power BI report', 'Tempo export',
  'Jira Cloud migration', 'Shell scripts', 'Bulk issue update', 'Data export',
];
// prettier-ignore
const SERVICE_DESCRIPTIONS = [
  'Jenkins CI', 'Grafana dashboard', 'Backup script', 'Zapier integration', 'GitHub Actions', 'GitLab CI',
  'Bamboo build plan', 'Nightly backup', 'Slack bot', 'Microsoft Teams connector', 'ServiceNow sync',
  'Prometheus exporter', 'Splunk forwarder', 'Ansible playbook', 'Terraform provider', 'SonarQube',
  'Status page', 'Monitoring', 'Salesforce sync', 'Release pipeline',
];

interface TokenInfo {
  /** Position in the token list. */
  index: number;
  token: StoredToken;
  secret: string;
  owner: Person;
  createdMs: number;
  /** Infinity: never expires. */
  expiresMs: number;
  /** lastUsedAt in ms, -Infinity: never used. Audit records never use a token after this. */
  usedUntil: number;
  /** Relative share of the traffic. */
  weight: number;
  /** Addresses the token is used from (for restricted tokens: addresses its restrictions allow). */
  ips: readonly string[];
  /** [user, token], frozen and shared by the records about this token. */
  refs: AffectedObject[];
}

interface Tokens {
  all: TokenInfo[];
}

/** Unique token ids: 'tok_' + 12 base36 characters. */
class TokenIds {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}
  next(): string {
    for (;;) {
      let id = 'tok_';
      for (let i = 0; i < 12; i++) id += '0123456789abcdefghijklmnopqrstuvwxyz'.charAt(this.rng.int(0, 35));
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

interface TokenTimes {
  createdMs: number;
  expiresMs: number;
}

/** Creation and expiry for a state, relative to now (validity presets as the token dialog offers). */
function tokenTimes(rng: Rng, nowMs: number, state: ExpiryState): TokenTimes {
  const whole = (ms: number) => Math.floor(ms / SECOND) * SECOND + rng.int(0, 999);
  switch (state) {
    case 'never':
      return { createdMs: whole(nowMs - rng.float(1 * DAY, 730 * DAY)), expiresMs: Infinity };
    case 'active': {
      const validity = rng.pick([90, 180, 365, 730]) * DAY;
      const expiresMs = whole(nowMs + rng.float(15 * DAY, validity - DAY));
      return { createdMs: expiresMs - validity, expiresMs };
    }
    case 'soon': {
      const validity = rng.pick([30, 90, 180, 365]) * DAY;
      const expiresMs = whole(nowMs + rng.float(HOUR, (EXPIRING_SOON_DAYS - 0.5) * DAY));
      return { createdMs: expiresMs - validity, expiresMs };
    }
    case 'expired': {
      const validity = rng.pick([30, 90, 180, 365]) * DAY;
      const expiresMs = whole(nowMs - rng.float(HOUR, 300 * DAY));
      return { createdMs: expiresMs - validity, expiresMs };
    }
  }
}

const EXPIRY_STATES = weightedTable<ExpiryState>([
  ['never', 25],
  ['active', 37],
  ['soon', 8],
  ['expired', 30],
]);

function buildTokens(
  rng: Rng,
  secretRng: Rng,
  nowMs: number,
  people: People,
  ips: IpPool,
  ids: TokenIds,
): Tokens {
  // The hand-made tokens are used unless they say otherwise.
  const plans: TokenPlan[] = FIXED_TOKENS.map((plan) => ({ neverUsed: false, ...plan }));
  while (plans.length < TOKEN_COUNT) plans.push({ owner: people.owners.pick(rng.next()).user.username });

  const all = plans.map((plan, index): TokenInfo => {
    const owner = person(people, plan.owner);
    const service = owner.service;
    const expiry = plan.expiry ?? EXPIRY_STATES.pick(rng.next());
    const { createdMs, expiresMs } = tokenTimes(rng, nowMs, expiry);
    const scope = plan.scope ?? (rng.chance(service ? 0.45 : 0.6) ? 'READ_ONLY' : 'READ_WRITE');
    const restriction = plan.restriction ?? (rng.chance(service ? 0.45 : 0.12) ? rng.int(0, 7) : -1);
    const preset = restriction >= 0 ? at(IP_RESTRICTION_PRESETS, restriction) : undefined;
    const neverUsed = plan.neverUsed ?? rng.chance(0.14);
    const createdIso = iso(createdMs);
    const description =
      plan.description ??
      (rng.chance(0.3)
        ? `API Token from ${createdIso.slice(0, 10)}`
        : rng.pick(service ? SERVICE_DESCRIPTIONS : HUMAN_DESCRIPTIONS));
    const heavy = plan.heavy ?? (service && expiry !== 'expired');
    const tokenIps = preset
      ? preset.allowed
      : rng.chance(0.3)
        ? [owner.homeIp, rng.pick(ips.clients)]
        : [owner.homeIp];

    let usedUntil = -Infinity;
    if (!neverUsed) {
      const end = Math.min(nowMs, expiresMs);
      usedUntil =
        heavy && expiresMs > nowMs
          ? Math.max(createdMs, end - Math.floor(rng.float(5 * SECOND, 20 * MINUTE)))
          : end - Math.floor((end - createdMs) * rng.next() ** 3);
    }
    const createdBy =
      plan.createdBy ??
      (owner.user.role !== 'admin' && rng.chance(service ? 0.6 : 0.1) ? 'admin' : owner.user.username);
    const secret = generateSecret(secretRng.bytes);
    const id = ids.next();
    const token: StoredToken = {
      id,
      ownerKey: owner.user.key,
      ownerUsername: owner.user.username,
      description,
      scope,
      createdAt: createdIso,
      createdBy,
      expiresAt: expiresMs === Infinity ? null : iso(expiresMs),
      lastUsedAt: neverUsed ? null : iso(usedUntil),
      lastUsedIp: neverUsed ? null : rng.pick(tokenIps),
      ipRestrictions: preset ? [...preset.restrictions] : [],
      secretHash: hashSecret(secret),
      previousSecretHash: null,
      previousSecretExpiresAt: null,
    };
    const ref = shared<AffectedObject>({ type: 'token', id, name: description });
    return {
      index,
      token,
      secret,
      owner,
      createdMs,
      expiresMs,
      usedUntil,
      weight: heavy
        ? 25 + rng.int(0, 25)
        : owner.user.username === 'jdoe' || owner.user.username === 'admin'
          ? 3
          : 1 + rng.int(0, 2),
      ips: tokenIps,
      refs: shared([owner.ref, ref]),
    };
  });
  return { all };
}

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

const PROJECTS = ['PROJ', 'OPS', 'WEB', 'API', 'SUP', 'DATA', 'MOB', 'HR'];

function buildEndpoints(rng: Rng) {
  const issueKey = () => `${rng.pick(PROJECTS)}-${rng.int(1, 2400)}`;
  const get: [string, number][] = [
    ['/rest/api/2/myself', 30],
    ['/rest/api/2/search', 25],
    ['/rest/ssh/1.0/keys', 4],
    ['/rest/api/latest/project', 6],
    ['/rest/api/2/project', 4],
    ['/rest/agile/1.0/board', 6],
    ['/rest/api/2/serverInfo', 5],
    ['/rest/api/2/field', 3],
    ['/rest/api/2/dashboard', 2],
    ['/rest/api/2/status', 2],
  ];
  for (let i = 0; i < 60; i++) get.push([`/rest/api/2/issue/${issueKey()}`, 0.6]);
  for (let i = 0; i < 15; i++) get.push([`/rest/api/2/issue/${issueKey()}/comment`, 0.3]);
  for (let i = 0; i < 8; i++) get.push([`/rest/agile/1.0/board/${rng.int(1, 60)}/sprint`, 0.5]);
  for (const p of PROJECTS) get.push([`/rest/api/2/project/${p}/versions`, 0.4]);
  for (let i = 0; i < 6; i++) get.push([`/rest/api/2/filter/${rng.int(10000, 10400)}`, 0.4]);

  const write: Record<'POST' | 'PUT' | 'DELETE', string[]> = {
    POST: ['/rest/api/2/issue', '/rest/api/2/issueLink', '/rest/api/2/issue/bulk'],
    PUT: [],
    DELETE: [],
  };
  for (let i = 0; i < 20; i++) {
    const key = issueKey();
    write.POST.push(`/rest/api/2/issue/${key}/comment`, `/rest/api/2/issue/${key}/transitions`);
    write.PUT.push(`/rest/api/2/issue/${key}`, `/rest/api/2/issue/${key}/assignee`);
    write.DELETE.push(`/rest/api/2/issue/${key}/comment/${rng.int(10000, 99999)}`);
  }
  for (let i = 0; i < 5; i++) write.PUT.push(`/rest/agile/1.0/sprint/${rng.int(1, 300)}`);
  for (let i = 0; i < 5; i++) write.DELETE.push(`/rest/api/2/issue/${issueKey()}`);

  // The same, as indices into one list (the audit records' caches are arrays indexed by endpoint).
  const all = [...new Set([...get.map(([e]) => e), ...write.POST, ...write.PUT, ...write.DELETE])];
  const index = new Map(all.map((e, i) => [e, i]));
  const indexOf = (e: string) => index.get(e) ?? 0;
  return {
    get: weightedTable(get),
    write,
    all,
    getIndex: weightedTable(get.map(([e, w]) => [indexOf(e), w] as const)),
    writeIndex: {
      POST: write.POST.map(indexOf),
      PUT: write.PUT.map(indexOf),
      DELETE: write.DELETE.map(indexOf),
    },
  };
}

type Endpoints = ReturnType<typeof buildEndpoints>;
type WriteMethod = keyof Endpoints['write'];

const WRITE_METHODS = weightedTable<WriteMethod>([
  ['POST', 55],
  ['PUT', 30],
  ['DELETE', 15],
]);

// ---------------------------------------------------------------------------------------------
// Audit records
// ---------------------------------------------------------------------------------------------

const ANONYMOUS = shared({ username: null, displayName: ANONYMOUS_AUTHOR });

/** Authentication event kinds (plain numbers: cheap in the hot loop). */
const Auth = {
  Success: 0,
  FailedBasic: 1,
  FailedBearer: 2,
  FailedVerification: 3,
  PermissionDenied: 4,
} as const;
type Auth = (typeof Auth)[keyof typeof Auth];

const AUTH_EVENT_MIX = weightedTable<Auth>([
  [Auth.Success, 66],
  [Auth.FailedBasic, 9],
  [Auth.FailedBearer, 7],
  [Auth.FailedVerification, 12],
  [Auth.PermissionDenied, 6],
]);
const AUTH_SUMMARY: Record<Auth, AuditEvent> = {
  [Auth.Success]: 'Successful authentication',
  [Auth.FailedBasic]: 'Failed API token basic authentication attempt',
  [Auth.FailedBearer]: 'Failed API token bearer authentication attempt',
  [Auth.FailedVerification]: 'Failed API token verification',
  [Auth.PermissionDenied]: 'Permission denied',
};
const BASIC_REASONS = weightedTable<FailureReason>([
  ['WRONG_TOKEN', 70],
  ['IP_RESTRICTED', 15],
  ['EXPIRED_TOKEN', 15],
]);
/** Usernames brute-force clients try; they match no user. */
const UNKNOWN_USERNAMES = ['root', 'test', 'administrator', 'jira', 'admin1', 'guest', 'svc-jira'];
/** Office hours weigh more (UTC hours; the demo company is in Europe). */
// prettier-ignore
const HOUR_WEIGHT = [
  0.25, 0.22, 0.2, 0.2, 0.22, 0.3, 0.5, 0.8, 0.95, 1, 1, 0.95, 0.85, 0.95, 1, 0.95, 0.85, 0.65, 0.5, 0.4,
  0.35, 0.32, 0.3, 0.27,
];

/** A record that is not an authentication event (rare: token lifecycle, settings, log levels). */
interface PendingRecord {
  t: number;
  build(id: string, timestamp: string): AuditRecord;
}

/** Per-day weighted tables of the tokens that are in use that day. */
interface DayTables {
  any: (WeightedTable<TokenInfo> | null)[];
  readOnly: (WeightedTable<TokenInfo> | null)[];
  restricted: (WeightedTable<TokenInfo> | null)[];
}

function buildDayTables(tokens: Tokens, windowStart: number, days: number): DayTables {
  const tables: DayTables = { any: [], readOnly: [], restricted: [] };
  for (let d = 0; d < days; d++) {
    const start = windowStart + d * DAY;
    const end = start + DAY;
    const inUse = tokens.all.filter((t) => t.createdMs < end && t.usedUntil >= start);
    const table = (list: TokenInfo[]) =>
      list.length ? weightedTable(list.map((t) => [t, t.weight] as const)) : null;
    tables.any.push(table(inUse));
    tables.readOnly.push(table(inUse.filter((t) => t.token.scope === 'READ_ONLY')));
    tables.restricted.push(table(inUse.filter((t) => t.token.ipRestrictions.length > 0)));
  }
  return tables;
}

/** A token in use at `t` from a day table (a few tries), or null. */
function tokenAt(rng: Rng, table: WeightedTable<TokenInfo> | null | undefined, t: number): TokenInfo | null {
  if (!table) return null;
  for (let tries = 0; tries < 8; tries++) {
    const token = table.pick(rng.next());
    if (token.createdMs <= t && t <= token.usedUntil) return token;
  }
  return null;
}

/** 'ar-' + the sequence number, zero-padded to 9 digits: ids sort as strings in the order of time. */
export function auditRecordId(sequence: number): string {
  const c = ID_CODES;
  for (let i = c.length - 1, n = sequence; i >= 3; i--, n = Math.floor(n / 10)) c[i] = 48 + (n % 10);
  // prettier-ignore
  return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!);
}
const ID_CODES = Uint16Array.from('ar-000000000', (c) => c.charCodeAt(0));

/**
 * `count` ascending timestamps in [start, end): hour by hour, weighted by time of day and weekday,
 * growing slightly over time, with random variation and a few bursts (scripts gone wild, attacks).
 * Each hour gets its share of the count, so no sort over the whole array is needed.
 */
function authTimes(rng: Rng, start: number, end: number, count: number): Float64Array {
  const hours = Math.max(1, Math.ceil((end - start) / HOUR));
  const weights = new Float64Array(hours);
  let total = 0;
  for (let i = 0; i < hours; i++) {
    const t = start + i * HOUR;
    const hour = Math.floor((t % DAY) / HOUR);
    const weekday = (Math.floor(t / DAY) + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const w =
      at(HOUR_WEIGHT, hour) *
      (weekday === 0 || weekday === 6 ? 0.45 : 1) *
      (0.75 + (0.25 * i) / hours) *
      (0.6 + 0.8 * rng.next()) *
      (rng.next() < 0.01 ? 5 : 1);
    weights[i] = w;
    total += w;
  }
  const times = new Float64Array(count);
  let cumulative = 0;
  let filled = 0;
  for (let i = 0; i < hours; i++) {
    cumulative += weights[i] as number;
    const upTo = i === hours - 1 ? count : Math.round((cumulative / total) * count);
    const n = upTo - filled;
    if (n <= 0) continue;
    // n sorted uniform points in the hour, without sorting: normalised sums of exponential gaps.
    const bucketStart = start + i * HOUR;
    const bucketLength = Math.min(HOUR, end - bucketStart);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum -= Math.log(1 - rng.next());
      times[filled + k] = sum;
    }
    const scale = bucketLength / (sum - Math.log(1 - rng.next()));
    for (let k = 0; k < n; k++, filled++)
      times[filled] = bucketStart + Math.floor((times[filled] as number) * scale);
  }
  return times;
}

function buildAuditRecords(
  rng: Rng,
  nowMs: number,
  count: number,
  people: People,
  tokens: Tokens,
  ips: IpPool,
  ids: TokenIds,
): AuditRecord[] {
  const windowStart = nowMs - AUDIT_WINDOW_DAYS * DAY;
  /** Authentication events start after the admin switched audit logging on (see the settings story). */
  const authStart = windowStart + 2 * HOUR;
  const pending = buildPendingRecords(rng, nowMs, windowStart, count, people, tokens, ips, ids);
  pending.sort((a, b) => a.t - b.t);
  if (pending.length > count) pending.splice(0, pending.length - count);

  const authCount = count - pending.length;
  // ...and end before the admin restored the defaults, just before `now` (see the settings story).
  const times = authTimes(rng, authStart, nowMs - 10 * MINUTE, authCount);

  const endpoints = buildEndpoints(rng);
  const ctx: AuthContext = {
    rng,
    people,
    ips,
    endpoints,
    days: buildDayTables(tokens, windowStart, AUDIT_WINDOW_DAYS),
    expired: tokens.all.filter((t) => t.expiresMs < nowMs).sort((a, b) => a.expiresMs - b.expiresMs),
    windowStart,
    sources: new SourceCache(ips.proxyList),
    details: new DetailsCache(endpoints.all),
  };

  // Merge both sorted streams; ids follow chronological order; the output is newest first.
  const total = pending.length + authCount;
  const out = new Array<AuditRecord>(total);
  const fmt = new IsoFormatter();
  let p = 0;
  let a = 0;
  for (let k = 0; k < total; k++) {
    const id = auditRecordId(k + 1);
    const next = p < pending.length ? at(pending, p) : undefined;
    let record: AuditRecord;
    if (next && (a >= authCount || next.t <= (times[a] as number))) {
      record = next.build(id, fmt.format(next.t));
      p++;
    } else {
      const t = times[a] as number;
      // The first records cover every authentication event, whatever the mix picks later.
      const kind = a < 5 ? (a as Auth) : AUTH_EVENT_MIX.pick(rng.next());
      record = authRecord(ctx, kind, id, fmt.format(t), t);
      a++;
    }
    out[total - 1 - k] = record;
  }
  aggregateNoisyAttempts(out, new Set(ips.noisy));
  return out;
}

/**
 * The backend aggregates repeated failed attempts of a source (one record says how many more came):
 * some of the noisy addresses' failed attempts become such records, in place, so that the ids, times
 * and the rest of the data set stay as they are.
 */
function aggregateNoisyAttempts(records: AuditRecord[], noisy: ReadonlySet<string>): void {
  let seen = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (outcomeOf(r.summary) !== 'failed' || !r.source.clientIp || !noisy.has(r.source.clientIp)) continue;
    if (seen++ % 400 !== 0) continue;
    const to = Date.parse(r.timestamp);
    records[i] = {
      id: r.id,
      timestamp: r.timestamp,
      author: r.author,
      category: AUDIT_CATEGORY,
      summary: 'Further failed attempts',
      affectedObjects: [],
      changedValues: [],
      source: { ...r.source, method: null },
      details: {
        furtherAttempts: {
          count: 12 + (Math.floor(to / 1000) % 400),
          source: attemptSource(r.source.clientIp),
          from: new Date(to - FAILED_ATTEMPTS_INTERVAL_MS).toISOString(),
          to: r.timestamp,
        },
      },
    };
  }
}

interface AuthContext {
  rng: Rng;
  people: People;
  ips: IpPool;
  endpoints: Endpoints;
  days: DayTables;
  /** Expired tokens, by expiry ascending. */
  expired: TokenInfo[];
  windowStart: number;
  sources: SourceCache;
  details: DetailsCache;
}

type Source = AuditRecord['source'];
type Details = AuditRecord['details'];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;
const METHOD_INDEX: Record<WriteMethod, number> = { POST: 2, PUT: 3, DELETE: 4 };

/**
 * Shared, frozen `source` objects: there are only a few thousand distinct ones (address × proxy ×
 * node × method), and not allocating 100,000 of them keeps generation fast (fewer objects for the GC).
 */
class SourceCache {
  private readonly byIp = new Map<string, (Source | undefined)[]>();
  constructor(private readonly proxies: readonly (string | null)[]) {}

  get(clientIp: string, proxy: number, node: number, method: number): Source {
    let row = this.byIp.get(clientIp);
    if (!row) {
      row = [];
      this.byIp.set(clientIp, row);
    }
    const i = (proxy * DEMO_NODES.length + node) * METHODS.length + method;
    let source = row[i];
    if (!source) {
      source = shared({
        clientIp,
        proxyIp: this.proxies[proxy] ?? null,
        nodeId: at(DEMO_NODES, node),
        method: at(METHODS, method),
      });
      row[i] = source;
    }
    return source;
  }
}

/** Slots of the details cache: which reason (if any) the details carry. */
const SLOT: Record<FailureReason | 'NONE', number> = {
  NONE: 0,
  WRONG_TOKEN: 1,
  IP_RESTRICTED: 2,
  READ_ONLY_SCOPE: 3,
  EXPIRED_TOKEN: 4,
  NO_VALID_TOKEN: 5,
  TOKENS_NOT_ALLOWED: 6,
  // The real server's sign-in reasons (the demo has no password sign-in: never used here).
  WRONG_PASSWORD: 7,
  TOO_MANY_FAILURES: 8,
};
const SLOTS = 9;

/**
 * Shared, frozen `details` objects (same reason as SourceCache): one per token or username,
 * endpoint and reason. Arrays indexed by numbers, no string keys to build in the hot loop.
 */
class DetailsCache {
  private readonly byToken: (Details | undefined)[][] = [];
  private readonly byName = new Map<string, (Details | undefined)[]>();
  constructor(private readonly endpoints: readonly string[]) {}

  forToken(token: TokenInfo, endpoint: number, reason: FailureReason | null): Details {
    const row = (this.byToken[token.index] ??= []);
    const i = endpoint * SLOTS + SLOT[reason ?? 'NONE'];
    let details = row[i];
    if (!details) {
      const t = token.token;
      const e = at(this.endpoints, endpoint);
      details = shared(
        reason
          ? {
              tokenId: t.id,
              tokenDescription: t.description,
              scope: t.scope,
              endpoint: e,
              reason,
              username: t.ownerUsername,
            }
          : {
              tokenId: t.id,
              tokenDescription: t.description,
              scope: t.scope,
              endpoint: e,
              username: t.ownerUsername,
            },
      );
      row[i] = details;
    }
    return details;
  }

  /** username null: unknown (a failed bearer attempt). */
  forUser(username: string | null, endpoint: number, reason: FailureReason): Details {
    let row = this.byName.get(username ?? '');
    if (!row) {
      row = [];
      this.byName.set(username ?? '', row);
    }
    const i = endpoint * SLOTS + SLOT[reason];
    let details = row[i];
    if (!details) {
      const e = at(this.endpoints, endpoint);
      details = shared(username === null ? { endpoint: e, reason } : { endpoint: e, reason, username });
      row[i] = details;
    }
    return details;
  }
}

/** Every record is built here, so that all records have the same shape (and key order). */
function makeRecord(
  id: string,
  timestamp: string,
  summary: AuditEvent,
  affectedObjects: AffectedObject[],
  source: Source,
  details: Details,
): AuditRecord {
  return {
    id,
    timestamp,
    author: ANONYMOUS,
    category: AUDIT_CATEGORY,
    summary,
    affectedObjects,
    changedValues: EMPTY,
    source,
    details,
  };
}

function authRecord(ctx: AuthContext, kind: Auth, id: string, timestamp: string, t: number): AuditRecord {
  const { rng, ips, endpoints } = ctx;
  const day = Math.min(AUDIT_WINDOW_DAYS - 1, Math.floor((t - ctx.windowStart) / DAY));
  const node = rng.next() < 0.5 ? 0 : 1;
  const proxy = ips.proxyIndex.pick(rng.next());

  if (kind === Auth.Success || kind === Auth.PermissionDenied) {
    const denied = kind === Auth.PermissionDenied;
    const token = tokenAt(rng, denied ? ctx.days.readOnly[day] : ctx.days.any[day], t);
    if (token) {
      let method = 0;
      let endpoint: number;
      if (denied || (token.token.scope === 'READ_WRITE' && rng.next() < 0.2)) {
        const write = WRITE_METHODS.pick(rng.next());
        method = METHOD_INDEX[write];
        endpoint = rng.pick(endpoints.writeIndex[write]);
      } else {
        if (rng.next() < 0.02) method = 1; // HEAD
        endpoint = endpoints.getIndex.pick(rng.next());
      }
      return makeRecord(
        id,
        timestamp,
        AUTH_SUMMARY[kind],
        token.refs,
        ctx.sources.get(rng.pick(token.ips), proxy, node, method),
        ctx.details.forToken(token, endpoint, denied ? 'READ_ONLY_SCOPE' : null),
      );
    }
    // No token in use at that moment: someone tried with a password instead.
    kind = Auth.FailedVerification;
  }

  const noisy = rng.next() < 0.45;
  const clientIp = noisy ? rng.pick(ips.noisy) : rng.pick(ips.clients);
  let method = 0;
  let endpoint: number;
  if (rng.next() < 0.15) {
    const write = WRITE_METHODS.pick(rng.next());
    method = METHOD_INDEX[write];
    endpoint = rng.pick(endpoints.writeIndex[write]);
  } else {
    endpoint = endpoints.getIndex.pick(rng.next());
  }
  const source = ctx.sources.get(clientIp, proxy, node, method);
  const summary = AUTH_SUMMARY[kind];

  if (kind === Auth.FailedBearer) {
    // The username can only be derived from a valid token: a failed bearer attempt has none.
    // IP_RESTRICTED here: the global IP restrictions refused the request before any token lookup.
    const reason: FailureReason = rng.next() < 0.15 ? 'IP_RESTRICTED' : 'WRONG_TOKEN';
    return makeRecord(id, timestamp, summary, EMPTY, source, ctx.details.forUser(null, endpoint, reason));
  }

  if (kind === Auth.FailedBasic) {
    const reason = BASIC_REASONS.pick(rng.next());
    if (reason === 'IP_RESTRICTED' || reason === 'EXPIRED_TOKEN') {
      const token =
        reason === 'IP_RESTRICTED' ? tokenAt(rng, ctx.days.restricted[day], t) : expiredAt(ctx, t);
      if (token) {
        return makeRecord(
          id,
          timestamp,
          summary,
          token.refs,
          source,
          ctx.details.forToken(token, endpoint, reason),
        );
      }
    }
    if (noisy && rng.next() < 0.3) {
      // Brute force with usernames that match no user.
      const details = ctx.details.forUser(rng.pick(UNKNOWN_USERNAMES), endpoint, 'WRONG_TOKEN');
      return makeRecord(id, timestamp, summary, EMPTY, source, details);
    }
    const who = ctx.people.attempts.pick(rng.next());
    const details = ctx.details.forUser(who.user.username, endpoint, 'WRONG_TOKEN');
    return makeRecord(id, timestamp, summary, who.refOnly, source, details);
  }

  // Failed API token verification: a password or another authenticator's token, not an API token.
  const who = ctx.people.attempts.pick(rng.next());
  const details = ctx.details.forUser(who.user.username, endpoint, 'NO_VALID_TOKEN');
  return makeRecord(id, timestamp, summary, who.refOnly, source, details);
}

/** An expired token (expired before `t`), or null. */
function expiredAt(ctx: AuthContext, t: number): TokenInfo | null {
  const list = ctx.expired;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(list, mid).expiresMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : at(list, ctx.rng.int(0, lo - 1));
}

// --- Rare records: token lifecycle, settings, log levels -------------------------------------

interface SettingSpec {
  field: string;
  values: string[];
  current: string;
}

function buildPendingRecords(
  rng: Rng,
  nowMs: number,
  windowStart: number,
  count: number,
  people: People,
  tokens: Tokens,
  ips: IpPool,
  ids: TokenIds,
): PendingRecord[] {
  const pending: PendingRecord[] = [];
  const admin = person(people, 'admin');
  const source = (who: Person, method: string) => ({
    clientIp: who.homeIp,
    proxyIp: ips.proxies.pick(rng.next()),
    nodeId: rng.pick(DEMO_NODES),
    method,
  });
  const authorOf = (who: Person) =>
    shared({ username: who.user.username, displayName: who.user.displayName });
  const scaled = (rate: number, min: number) => Math.max(min, Math.round(count * rate));

  // Settings: the story starts with the admin switching audit logging on, 90 days ago.
  const settingsChange = (t: number, who: Person, settings: AffectedObject, changes: ChangedValue[]) => {
    const src = source(who, 'PUT');
    pending.push({
      t,
      build: (id, timestamp) => ({
        id,
        timestamp,
        author: authorOf(who),
        category: AUDIT_CATEGORY,
        summary: 'Settings changed',
        affectedObjects: [settings],
        changedValues: changes,
        source: src,
        details: {},
      }),
    });
  };
  // One affected object for every settings change, as the settings service writes it.
  const SETTINGS = shared<AffectedObject>({
    type: 'settings',
    id: 'api-token-authentication',
    name: 'API Token Authentication settings',
  });
  // Field labels and values as contract/settings-fields.ts reads them.
  const gates = [
    'Disable basic authentication with regular passwords',
    'Disable bearer authentication with other authenticators',
    'Rate limiting',
  ];
  const auditOptions = [
    'Successful Authentication',
    'Audit-log failed API token basic authentication attempts',
    'Audit-log failed API token bearer authentication attempts',
    'Audit-log failed API token verification',
    'Permission Denied',
  ];
  settingsChange(
    windowStart + 10 * MINUTE,
    admin,
    SETTINGS,
    gates.map((field) => ({ field, from: 'Off', to: 'On' })),
  );
  settingsChange(
    windowStart + 25 * MINUTE,
    admin,
    SETTINGS,
    auditOptions.map((field) => ({ field, from: 'Off', to: 'On' })),
  );
  // Later changes: only settings that do not contradict the generated traffic.
  const tunables: SettingSpec[] = [
    { field: 'Requests per minute', values: ['60', '120', '300', '600'], current: '600' },
    { field: 'Burst', values: ['10', '20', '50', '100'], current: '100' },
    { field: 'Maximum validity', values: ['6 months', '1 year', '2 years'], current: '1 year' },
    { field: 'Force Read Only scope for regular users', values: ['Off', 'On'], current: 'Off' },
    { field: 'Expiry warning (days before expiry)', values: ['7', '14', '30'], current: '14' },
    {
      field: 'Who may create and delete API tokens for other users',
      values: ['jira-administrators', 'jira-administrators, operations'],
      current: 'jira-administrators',
    },
  ];
  const defaults = new Map(tunables.map((spec) => [spec.field, spec.current]));
  const tuneCount = scaled(0.00018, 1);
  const tuneTimes = Array.from(
    { length: tuneCount },
    () => windowStart + 3 * HOUR + rng.float(0, 89 * DAY),
  ).sort((x, y) => x - y);
  for (const t of tuneTimes) {
    const spec = rng.pick(tunables);
    const to = rng.pick(spec.values.filter((v) => v !== spec.current));
    const change: ChangedValue = { field: spec.field, from: spec.current, to };
    spec.current = to;
    settingsChange(Math.floor(t), rng.chance(0.75) ? admin : rng.pick(people.admins), SETTINGS, [change]);
  }
  // The story ends with the admin restoring the product defaults (every audit option off, passwords and
  // other bearer authenticators allowed): the demo starts from them, so no authentication event follows.
  settingsChange(nowMs - 5 * MINUTE, admin, SETTINGS, [
    ...gates.map((field) => ({ field, from: 'On', to: 'Off' })),
    ...tunables
      .filter((spec) => spec.current !== defaults.get(spec.field))
      .map((spec) => ({ field: spec.field, from: spec.current, to: defaults.get(spec.field) ?? null })),
    ...auditOptions.map((field) => ({ field, from: 'On', to: 'Off' })),
  ]);

  // Log levels: the app logger set to INFO on both nodes, then short DEBUG sessions for troubleshooting.
  const levelChange = (
    t: number,
    who: Person,
    logger: string,
    node: string,
    from: LogLevel | null,
    to: LogLevel | null,
  ) => {
    const src = { ...source(who, 'PUT'), nodeId: node };
    const ref = shared<AffectedObject>({ type: 'logger', id: logger, name: logger });
    pending.push({
      t,
      build: (id, timestamp) => ({
        id,
        timestamp,
        author: authorOf(who),
        category: LOGGING_CATEGORY,
        summary: 'Log level changed',
        affectedObjects: [ref],
        changedValues: [{ field: 'level', from, to }],
        source: src,
        details: {},
      }),
    });
  };
  for (const [i, node] of DEMO_NODES.entries())
    levelChange(windowStart + (40 + i) * MINUTE, admin, APP_LOGGERS.app, node, null, 'INFO');
  const configured: Record<string, LogLevel | null> = {
    [APP_LOGGERS.app]: 'INFO',
    [APP_LOGGERS.authService]: null,
    [APP_LOGGERS.rateLimiter]: null,
    'com.atlassian.jira.security': null,
  };
  const sessions = scaled(0.0001, 1);
  const busyUntil = new Map<string, number>();
  const sessionStarts = Array.from({ length: sessions }, () =>
    Math.floor(windowStart + 3 * HOUR + rng.float(0, 88 * DAY)),
  );
  for (const t of sessionStarts.sort((x, y) => x - y)) {
    const logger = rng.pick(Object.keys(configured));
    const node = rng.pick(DEMO_NODES);
    // Sessions on the same logger and node never overlap, so every change starts from the level in force.
    if ((busyUntil.get(`${logger}@${node}`) ?? -Infinity) >= t) continue;
    const end = t + Math.floor(rng.float(20 * MINUTE, 6 * HOUR));
    busyUntil.set(`${logger}@${node}`, end);
    const from = configured[logger] ?? null;
    const who = rng.chance(0.8) ? admin : rng.pick(people.admins);
    levelChange(t, who, logger, node, from, 'DEBUG');
    levelChange(end, who, logger, node, 'DEBUG', from);
  }

  // Token lifecycle: creation of the existing tokens created within the window…
  const created = (t: number, who: Person, token: StoredToken, refs: AffectedObject[]) => {
    const src = source(who, 'POST');
    const changes: ChangedValue[] = [
      { field: 'Description', from: null, to: token.description },
      { field: 'Scope', from: null, to: SCOPE_LABELS[token.scope] },
      { field: 'Expires', from: null, to: token.expiresAt ?? 'Never' },
    ];
    if (token.ipRestrictions.length)
      changes.push({ field: 'IP restrictions', from: null, to: token.ipRestrictions.join(', ') });
    pending.push({
      t,
      build: (id, timestamp) => ({
        id,
        timestamp,
        author: authorOf(who),
        category: AUDIT_CATEGORY,
        summary: 'API token created',
        affectedObjects: refs,
        changedValues: changes,
        source: src,
        details: {
          tokenId: token.id,
          tokenDescription: token.description,
          scope: token.scope,
          username: token.ownerUsername,
        },
      }),
    });
  };
  for (const t of tokens.all) {
    if (t.createdMs > windowStart && t.createdMs <= nowMs) {
      created(t.createdMs, person(people, t.token.createdBy), t.token, t.refs);
    }
  }

  // …and tokens that no longer exist: deleted one by one, or all of a user's at once.
  const ghost = (owner: Person, createdMs: number): { token: StoredToken; refs: AffectedObject[] } => {
    const id = ids.next();
    const description = rng.chance(0.3)
      ? `API Token from ${iso(createdMs).slice(0, 10)}`
      : rng.pick(owner.service ? SERVICE_DESCRIPTIONS : HUMAN_DESCRIPTIONS);
    const expiresMs = rng.chance(0.3) ? null : createdMs + rng.pick([30, 90, 180, 365]) * DAY;
    const restriction = rng.chance(0.15) ? at(IP_RESTRICTION_PRESETS, rng.int(0, 7)).restrictions : [];
    const token: StoredToken = {
      id,
      ownerKey: owner.user.key,
      ownerUsername: owner.user.username,
      description,
      scope: rng.chance(0.55) ? 'READ_ONLY' : 'READ_WRITE',
      createdAt: iso(createdMs),
      createdBy: owner.user.username,
      expiresAt: expiresMs === null ? null : iso(expiresMs),
      lastUsedAt: null,
      lastUsedIp: null,
      ipRestrictions: [...restriction],
      secretHash: '',
      previousSecretHash: null,
      previousSecretExpiresAt: null,
    };
    const ref = shared<AffectedObject>({ type: 'token', id, name: description });
    return { token, refs: shared([owner.ref, ref]) };
  };
  const deletions = scaled(0.0012, 2);
  for (let i = 0; i < deletions; i++) {
    const owner = people.owners.pick(rng.next());
    const createdMs = Math.floor(windowStart + rng.float(-200 * DAY, 88 * DAY));
    const deletedMs = Math.floor(
      Math.max(createdMs, windowStart + 3 * HOUR) + rng.float(10 * MINUTE, 30 * DAY),
    );
    if (deletedMs >= nowMs) continue;
    const g = ghost(owner, createdMs);
    if (createdMs > windowStart) created(createdMs, owner, g.token, g.refs);
    const who = owner.user.role === 'admin' || rng.chance(0.75) ? owner : rng.pick(people.admins);
    const src = source(who, 'DELETE');
    pending.push({
      t: deletedMs,
      build: (id, timestamp) => ({
        id,
        timestamp,
        author: authorOf(who),
        category: AUDIT_CATEGORY,
        summary: 'API token deleted',
        affectedObjects: g.refs,
        changedValues: EMPTY,
        source: src,
        details: {
          tokenId: g.token.id,
          tokenDescription: g.token.description,
          scope: g.token.scope,
          username: g.token.ownerUsername,
        },
      }),
    });
  }

  // All tokens of a user deleted (a leaver, or a suspected leak): only users whose current tokens are younger.
  const firstTokenOf = new Map<Person, number>();
  for (const t of tokens.all)
    firstTokenOf.set(t.owner, Math.min(firstTokenOf.get(t.owner) ?? Infinity, t.createdMs));
  const candidates = people.all.filter(
    (p) => p.user.role === 'user' && !['jdoe', 'automation-user'].includes(p.user.username),
  );
  const wipes = scaled(0.00003, 1);
  for (let i = 0, tries = 0; i < wipes && tries < 100; tries++) {
    const owner = rng.pick(candidates);
    const latest = Math.min(nowMs, firstTokenOf.get(owner) ?? Infinity) - HOUR;
    if (latest < windowStart + 4 * HOUR) continue;
    i++;
    const t = Math.floor(rng.float(windowStart + 4 * HOUR, latest));
    const ghosts = Array.from({ length: rng.int(2, 5) }, () => {
      const createdMs = Math.floor(t - rng.float(HOUR, 200 * DAY));
      const g = ghost(owner, createdMs);
      if (createdMs > windowStart) created(createdMs, owner, g.token, g.refs);
      return g;
    });
    const who = rng.chance(0.7) ? admin : rng.pick(people.admins);
    const src = source(who, 'DELETE');
    const affected = [owner.ref, ...ghosts.map((g) => at(g.refs, 1))];
    pending.push({
      t,
      build: (id, timestamp) => ({
        id,
        timestamp,
        author: authorOf(who),
        category: AUDIT_CATEGORY,
        summary: 'All API tokens of a user deleted',
        affectedObjects: affected,
        changedValues: [{ field: 'API tokens', from: String(ghosts.length), to: '0' }],
        source: src,
        details: { username: owner.user.username },
      }),
    });
  }

  // Existing tokens rotated and renamed, written by the backend's own record builders (a sub-stream of
  // their own: the records above stay as they were).
  const changeRng = rng.fork('token-changes');
  const changed = (
    t: number,
    who: Person,
    method: string,
    endpoint: string,
    write: (source: AuditSource) => NewAuditRecord,
  ) => {
    const src = source(who, method);
    pending.push({
      t,
      build: (id, timestamp) => ({
        id,
        ...write({
          actor: who.user,
          // As the seed's other records: no credential named (console sessions of the past).
          credential: null,
          client: { clientIp: src.clientIp, proxyIp: src.proxyIp, nodeId: src.nodeId },
          method,
          endpoint,
          at: new Date(timestamp),
        }),
      }),
    });
  };
  const changes = scaled(0.0006, 2);
  for (let i = 0; i < changes; i++) {
    const info = changeRng.pick(tokens.all);
    const from = Math.max(info.createdMs, windowStart) + HOUR;
    const to = nowMs - 2 * DAY;
    if (from >= to) continue;
    const t = Math.floor(changeRng.float(from, to));
    const who = changeRng.chance(0.8) ? info.owner : admin;
    const token = publicToken(info.token);
    const owner = info.owner.user;
    const tokenPath = `${BASE_PATH}/tokens/${token.id}`;
    if (i % 2 === 0) {
      const grace = changeRng.chance(0.5) ? new Date(t + DAY).toISOString() : null;
      changed(t, who, 'POST', `${tokenPath}/rotate`, (src) =>
        tokenRotatedRecord({ ...token, previousSecretExpiresAt: grace }, owner, src),
      );
    } else {
      const before = { ...token, description: `API Token from ${iso(info.createdMs).slice(0, 10)}` };
      if (before.description === token.description) continue;
      changed(t, who, 'PATCH', tokenPath, (src) => tokenUpdatedRecord(before, token, owner, src));
    }
  }
  return pending;
}

// ---------------------------------------------------------------------------------------------
// Loggers
// ---------------------------------------------------------------------------------------------

function buildLoggers(): LoggerConfig[] {
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

// ---------------------------------------------------------------------------------------------
// Log entries
// ---------------------------------------------------------------------------------------------

// TODO(issue 3): use the engine's log line builders. Until the backend's authentication engine
// owns these message formats, they are built here, following the vendor's examples (docs/domain.md).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's default medium date-time format, e.g. "Jan 6, 2021 2:14:46 PM" (UTC). */
function javaDateTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const logLine = {
  successLegacy: (username: string, createdMs: number, endpoint: string) =>
    `Found a matching token for authenticating user ${username}, created on ${createdMs}. REST endpoint: ${endpoint}`,
  success: (description: string, scope: TokenScope, username: string, createdMs: number, endpoint: string) =>
    `Found a matching token "${description}" with ${SCOPE_LABELS[scope]} scope and authenticated user ${username}. ` +
    `Token was created on ${javaDateTime(createdMs)}. REST endpoint: ${endpoint}`,
  wrongToken: (username: string, endpoint: string) =>
    `User ${username} tried to authenticate with an invalid API token. Basic authentication with regular passwords ` +
    `is disabled, the request is rejected. REST endpoint: ${endpoint}`,
  passedOn: (username: string, endpoint: string) =>
    `User ${username} tried to authenticate with an invalid token or a regular password. Passing the request ` +
    `further to the default authenticator. REST endpoint: ${endpoint}`,
  verificationFailed: (username: string, endpoint: string) =>
    `Token verification for user ${username} failed: No valid API token was provided and basic auth with ` +
    `password or personal access token is disabled. REST endpoint: ${endpoint}`,
  ipRestricted: (
    description: string,
    username: string,
    ip: string,
    restrictions: string[],
    endpoint: string,
  ) =>
    `Token "${description}" of user ${username} was used from IP address ${ip}, which is not allowed by its ` +
    `IP restrictions (${restrictions.join(', ')}). Access denied. REST endpoint: ${endpoint}`,
  permissionDenied: (description: string, username: string, method: string, endpoint: string) =>
    `Token "${description}" with Read Only scope tried a write operation (${method}) for user ${username}. ` +
    `Permission denied (403). REST endpoint: ${endpoint}`,
  rateLimited: (username: string, description: string, requests: number, limit: number, endpoint: string) =>
    `Rate limit exceeded for user ${username} with token "${description}": ${requests} requests in the last ` +
    `minute (limit ${limit} per minute). Request rejected with 429 Too Many Requests. REST endpoint: ${endpoint}`,
};

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

function buildLogEntries(rng: Rng, nowMs: number, tokens: Tokens, people: People, ips: IpPool): LogEntry[] {
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
    const line = (
      level: LogLevel,
      username: string,
      ip: string,
      url: string,
      message: string,
      logger: string = APP_LOGGERS.authService,
    ) => lines.push({ t, level, logger, username, clientIp: via(ip), url, message, thread, node });
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
          line(
            'WARN',
            'anonymous',
            rng.pick(ips.clients),
            get,
            logLine.verificationFailed(who.user.username, get),
          );
          break;
        }
        const u = tk.owner.user.username;
        const ip = rng.pick(tk.ips);
        line('INFO', 'anonymous', ip, get, logLine.successLegacy(u, tk.createdMs, get));
        line(
          'INFO',
          'anonymous',
          ip,
          get,
          logLine.success(tk.token.description, tk.token.scope, u, tk.createdMs, get),
        );
        break;
      }
      case 'wrongToken':
      case 'passedOn': {
        const who = people.attempts.pick(rng.next()).user.username;
        const ip = rng.chance(0.5) ? rng.pick(ips.noisy) : rng.pick(ips.clients);
        if (kind === 'wrongToken') line('WARN', 'anonymous', ip, get, logLine.wrongToken(who, get));
        else line('INFO', 'anonymous', ip, get, logLine.passedOn(who, get));
        break;
      }
      case 'verification': {
        const who = people.attempts.pick(rng.next()).user.username;
        line('WARN', 'anonymous', rng.pick(ips.clients), get, logLine.verificationFailed(who, get));
        break;
      }
      case 'ipRestricted': {
        const tk = token as TokenInfo;
        const ip = rng.pick(ips.clients);
        const msg = logLine.ipRestricted(
          tk.token.description,
          tk.owner.user.username,
          ip,
          tk.token.ipRestrictions,
          get,
        );
        line('WARN', 'anonymous', ip, get, msg);
        break;
      }
      case 'denied': {
        const tk = token as TokenInfo;
        const method = WRITE_METHODS.pick(rng.next());
        const url = rng.pick(endpoints.write[method]);
        const u = tk.owner.user.username;
        line(
          'WARN',
          u,
          rng.pick(tk.ips),
          url,
          logLine.permissionDenied(tk.token.description, u, method, url),
        );
        break;
      }
      case 'rateLimited': {
        const tk = recentTable.pick(rng.next());
        const u = tk.owner.user.username;
        const limit = rng.pick([60, 120, 300]);
        const msg = logLine.rateLimited(u, tk.token.description, limit + rng.int(1, limit), limit, get);
        line('INFO', u, rng.pick(tk.ips), get, msg, APP_LOGGERS.rateLimiter);
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
