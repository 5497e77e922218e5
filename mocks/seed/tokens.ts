/** The seed's API tokens: the fixed ones the demo tells about, and generated ones, with their secrets. */
import type { AffectedObject } from '../../contract/audit';
import type { TokenScope } from '../../contract/tokens';
import { generateSecret, hashSecret } from '../../backend/auth/secrets';
import type { StoredToken } from '../../backend/store/port';
import { weightedTable, type Rng } from './random';
import { DAY, EXPIRING_SOON_DAYS, HOUR, MINUTE, SECOND, TOKEN_COUNT } from './constants';
import { at, iso, shared } from './helpers';
import { IP_RESTRICTION_PRESETS, type IpPool } from './ips';
import { type People, type Person, person } from './users';

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
export const HUMAN_DESCRIPTIONS = [
  'Jira CLI', 'Postman testing', 'VS Code Jira extension', 'IntelliJ task integration', 'Excel report',
  'Personal dashboard', 'Python scripts', 'Release notes generator', 'Time tracking sync', 'Laptop scripts',
  'Test token', 'Migration script', 'Confluence sync', 'Sprint report', 'Power BI report', 'Tempo export',
  'Jira Cloud migration', 'Shell scripts', 'Bulk issue update', 'Data export',
];
// prettier-ignore
export const SERVICE_DESCRIPTIONS = [
  'Jenkins CI', 'Grafana dashboard', 'Backup script', 'Zapier integration', 'GitHub Actions', 'GitLab CI',
  'Bamboo build plan', 'Nightly backup', 'Slack bot', 'Microsoft Teams connector', 'ServiceNow sync',
  'Prometheus exporter', 'Splunk forwarder', 'Ansible playbook', 'Terraform provider', 'SonarQube',
  'Status page', 'Monitoring', 'Salesforce sync', 'Release pipeline',
];

export interface TokenInfo {
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

export interface Tokens {
  all: TokenInfo[];
}

/** Unique token ids: 'tok_' + 12 base36 characters. */
export class TokenIds {
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

export function buildTokens(
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
