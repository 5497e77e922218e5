import type { ComponentType } from 'react';
import type { Myself, Permission } from '@contract/users';
import { can } from '@/lib/auth';

export interface Page {
  /** Its address, which the main navigation links to. */
  path: `/${string}`;
  label: string;
  /** Who sees the entry and may open the page: anyone with one of these. */
  permissions: readonly Permission[];
  /** Whether the page has tabs with addresses of their own under its path. */
  tabs: boolean;
  /** The page's code: each page is a chunk of its own, loaded when first opened. */
  load: () => Promise<ComponentType>;
}

/** Every page of the console, in the main navigation's order: the routes and the navigation are built from it. */
export const PAGES: readonly Page[] = [
  {
    path: '/overview',
    label: 'Overview',
    permissions: ['audit:read'],
    tabs: false,
    load: () => import('@/features/overview/OverviewPage').then((m) => m.OverviewPage),
  },
  {
    path: '/settings',
    label: 'Settings',
    permissions: ['settings:read'],
    tabs: true,
    load: () => import('@/features/settings/SettingsPage').then((m) => m.SettingsPage),
  },
  {
    path: '/tokens',
    label: 'API Tokens',
    permissions: ['tokens:own', 'tokens:manage'],
    tabs: true,
    load: () => import('@/features/tokens/TokensPage').then((m) => m.TokensPage),
  },
  {
    path: '/audit',
    label: 'Audit Log',
    permissions: ['audit:read'],
    tabs: true,
    load: () => import('@/features/audit/AuditLogPage').then((m) => m.AuditLogPage),
  },
  {
    path: '/logging',
    label: 'Logging',
    permissions: ['logging:read'],
    tabs: true,
    load: () => import('@/features/logging/LoggingPage').then((m) => m.LoggingPage),
  },
];

/** The pages a user may open, in navigation order. */
export function pagesOf(myself: Myself): Page[] {
  return PAGES.filter((page) => can(myself, page.permissions));
}

/** Where a user lands: the first page the navigation offers them. */
export function landingPath(myself: Myself): string {
  return pagesOf(myself)[0]?.path ?? '/tokens';
}
