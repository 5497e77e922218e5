import type { Permission } from '@contract/users';

export interface NavItem {
  to: string;
  label: string;
  /** Who sees the entry and may open the page. */
  permission: Permission;
}

/** The main navigation, in order. Entries follow the signed-in user's permissions. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/settings', label: 'Settings', permission: 'settings:read' },
  { to: '/tokens', label: 'API Tokens', permission: 'tokens:own' },
  { to: '/audit', label: 'Audit Log', permission: 'audit:read' },
  { to: '/logging', label: 'Logging', permission: 'logging:read' },
];

/** Where a user lands: the first page the navigation offers them. */
export function landingPath(permissions: readonly Permission[]): string {
  return NAV_ITEMS.find((item) => permissions.includes(item.permission))?.to ?? '/tokens';
}
