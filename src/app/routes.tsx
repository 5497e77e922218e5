import type { RouteObject } from 'react-router';
import { AppError } from './AppError';
import { AppShell } from './AppShell';
import { LandingRedirect } from './LandingRedirect';
import { NotFoundPage } from './NotFoundPage';
import { RequirePermission } from './RequirePermission';

/** Every page beyond the shell loads as its own chunk. */
export const routes: RouteObject[] = [
  {
    path: '/sign-in',
    lazy: async () => {
      const { SignInPage } = await import('@/features/account/SignInPage');
      return { element: <SignInPage />, errorElement: <AppError /> };
    },
  },
  {
    path: '/',
    element: <AppShell />,
    errorElement: <AppError />,
    children: [
      { index: true, element: <LandingRedirect /> },
      {
        path: 'overview',
        lazy: async () => {
          const { OverviewPage } = await import('@/features/overview/OverviewPage');
          return {
            element: (
              <RequirePermission anyOf={['audit:read']}>
                <OverviewPage />
              </RequirePermission>
            ),
          };
        },
      },
      {
        path: 'settings/*',
        lazy: async () => {
          const { SettingsPage } = await import('@/features/settings/SettingsPage');
          return {
            element: (
              <RequirePermission anyOf={['settings:read']}>
                <SettingsPage />
              </RequirePermission>
            ),
          };
        },
      },
      {
        path: 'tokens/*',
        lazy: async () => {
          const { TokensPage } = await import('@/features/tokens/TokensPage');
          return {
            element: (
              <RequirePermission anyOf={['tokens:own', 'tokens:manage']}>
                <TokensPage />
              </RequirePermission>
            ),
          };
        },
      },
      {
        path: 'audit/*',
        lazy: async () => {
          const { AuditLogPage } = await import('@/features/audit/AuditLogPage');
          return {
            element: (
              <RequirePermission anyOf={['audit:read']}>
                <AuditLogPage />
              </RequirePermission>
            ),
          };
        },
      },
      {
        path: 'logging/*',
        lazy: async () => {
          const { LoggingPage } = await import('@/features/logging/LoggingPage');
          return {
            element: (
              <RequirePermission anyOf={['logging:read']}>
                <LoggingPage />
              </RequirePermission>
            ),
          };
        },
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
