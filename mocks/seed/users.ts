/** The seed's users and groups: the fixed demo accounts and generated colleagues. */
import type { AffectedObject } from '../../contract/audit';
import type { Role, User } from '../../contract/users';
import { weightedTable, type Rng, type WeightedTable } from './random';
import { USER_COUNT } from './constants';
import { shared } from './helpers';
import type { IpPool } from './ips';

export interface Person {
  user: User;
  /** A service account (automation): its tokens carry most of the traffic. */
  service: boolean;
  /** The address the person usually works from. */
  homeIp: string;
  /** Frozen affected object for audit records. */
  ref: AffectedObject;
  refOnly: AffectedObject[];
}

export interface People {
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

export function buildUsers(rng: Rng, ips: IpPool): People {
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

export function person(people: People, username: string): Person {
  const p = people.byName.get(username);
  if (!p) throw new Error(`demo seed: unknown user ${username}`);
  return p;
}
