import type { User } from '../../contract/users';
import type { DataSet } from '../store/port';

export const FIXTURE_USERS: User[] = [
  {
    key: 'U1',
    username: 'admin',
    displayName: 'Alice Admin',
    email: 'admin@example.com',
    groups: ['jira-administrators'],
    role: 'admin',
  },
  {
    key: 'U2',
    username: 'auditor',
    displayName: 'Olga Auditor',
    email: 'auditor@example.com',
    groups: ['auditors'],
    role: 'auditor',
  },
  {
    key: 'U3',
    username: 'jdoe',
    displayName: 'John Doe',
    email: 'jdoe@example.com',
    groups: ['jira-software-users'],
    role: 'user',
  },
];

/** A tiny data set for backend tests that do not need the demo seed. */
export function fixtureData(): DataSet {
  return {
    users: FIXTURE_USERS,
    groups: ['auditors', 'jira-administrators', 'jira-software-users'],
    nodes: ['node-1'],
    tokens: [],
    auditRecords: [],
    loggers: [],
    logEntries: [],
  };
}
