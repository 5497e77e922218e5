import type { User } from '../contract/users';
import { generatePassword, hashPassword } from './passwords';

/** What first start needs of the store. */
export interface AccountStore {
  listUsers(): Promise<User[]>;
  insertUser(user: User): Promise<void>;
  setPassword(username: string, hash: string): Promise<unknown>;
}

/** The accounts a new installation starts with; a password comes from its variable or is generated. */
export const FIRST_ACCOUNTS: readonly { user: User; passwordVariable: string }[] = [
  {
    user: {
      key: 'admin',
      username: 'admin',
      displayName: 'Administrator',
      email: 'admin@localhost',
      groups: ['jira-administrators'],
      role: 'admin',
    },
    passwordVariable: 'ATC_ADMIN_PASSWORD',
  },
  {
    user: {
      key: 'auditor',
      username: 'auditor',
      displayName: 'Auditor',
      email: 'auditor@localhost',
      groups: ['auditors'],
      role: 'auditor',
    },
    passwordVariable: 'ATC_AUDITOR_PASSWORD',
  },
  {
    user: {
      key: 'user',
      username: 'user',
      displayName: 'Regular User',
      email: 'user@localhost',
      groups: ['jira-software-users'],
      role: 'user',
    },
    passwordVariable: 'ATC_USER_PASSWORD',
  },
];

/**
 * On first start (no users yet): creates the administrator, the auditor and the regular user, and
 * returns the generated passwords so that they are printed once. (Logger levels are set at every
 * start, from the logging configuration: see server/log-levels.ts.)
 */
export async function ensureFirstStart(
  store: AccountStore,
  env: Record<string, string | undefined>,
): Promise<{ username: string; password: string; generated: boolean }[]> {
  if ((await store.listUsers()).length > 0) return [];
  const created = [];
  for (const { user, passwordVariable } of FIRST_ACCOUNTS) {
    const given = env[passwordVariable];
    const password = given && given.length > 0 ? given : generatePassword();
    await store.insertUser(user);
    await store.setPassword(user.username, hashPassword(password));
    created.push({ username: user.username, password, generated: !given });
  }
  return created;
}
