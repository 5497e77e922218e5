import type { Role } from './users';

/** The three demo accounts of the account switcher (demo mode only). */
export const DEMO_ACCOUNTS: readonly { username: string; role: Role }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'auditor', role: 'auditor' },
  { username: 'jdoe', role: 'user' },
];
export const DEFAULT_DEMO_USERNAME = 'admin';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
}
