import type { RouteObject } from 'react-router';
import { SIGN_IN_PATH } from '@/lib/auth';
import { ErrorState } from '@/components/ui/ErrorState';
import { AppError } from './AppError';
import { AppShell } from './AppShell';
import { LandingRedirect } from './LandingRedirect';
import { PAGES } from './navigation';
import { NotFoundPage } from './NotFoundPage';
import { RequirePermission } from './RequirePermission';

/**
 * The sign-in page, and the shell with every page of the navigation table in it. A page whose code
 * cannot load shows its error inside the shell, so the navigation stays.
 */
export const routes: RouteObject[] = [
  {
    path: SIGN_IN_PATH,
    // Until the page's chunk has loaded, index.html's frame stays on screen.
    HydrateFallback: () => null,
    errorElement: <AppError />,
    lazy: async () => {
      const { SignInPage } = await import('@/features/account/SignInPage');
      return { element: <SignInPage /> };
    },
  },
  {
    path: '/',
    element: <AppShell />,
    // The first frame: header and navigation, the page following as soon as its chunk has loaded.
    hydrateFallbackElement: <AppShell />,
    errorElement: <AppError />,
    children: [
      { index: true, element: <LandingRedirect /> },
      ...PAGES.map((page): RouteObject => ({
        path: page.tabs ? `${page.path.slice(1)}/*` : page.path.slice(1),
        lazy: async () => {
          try {
            const Page = await page.load();
            return {
              element: (
                <RequirePermission anyOf={page.permissions}>
                  <Page />
                </RequirePermission>
              ),
            };
          } catch (error) {
            // Code that cannot load becomes the page: its error, with "Reload". (react-router renders no
            // error element for a route whose lazy() rejected, and the browser loads the chunk again only
            // after a reload anyway.)
            return { element: <ErrorState error={error} /> };
          }
        },
      })),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
