import type { Permission } from '@contract/users';

export interface NavItem {
  to: string;
  label: string;
  /** Who sees the entry and may open the page: anyone with one of these. */
  permissions: readonly Permission[];
}

/** The main navigation, in order. Entries follow the signed-in user's permissions. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/overview', label: 'Overview', permissions: ['audit:read'] },
  { to: '/settings', label: 'Settings', permissions: ['settings:read'] },
  { to: '/tokens', label: 'API Tokens', permissions: ['tokens:own', 'tokens:manage'] },
  { to: '/audit', label: 'Audit Log', permissions: ['audit:read'] },
  { to: '/logging', label: 'Logging', permissions: ['logging:read'] },
];

/** Where a user lands: the first page the navigation offers them. */
export function landingPath(permissions: readonly Permission[]): string {
  return NAV_ITEMS.find((item) => mayOpen(item, permissions))?.to ?? '/tokens';
}

export function mayOpen(item: Pick<NavItem, 'permissions'>, permissions: readonly Permission[]): boolean {
  return item.permissions.some((p) => permissions.includes(p));
}
