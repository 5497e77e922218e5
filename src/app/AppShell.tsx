import { QueryErrorResetBoundary, useQuery } from '@tanstack/react-query';
import { ErrorBoundary } from 'react-error-boundary';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { AccountMenu } from '@/features/account/AccountMenu';
import { myselfQueryOptions } from '@/lib/auth';
import { ApiError } from '@/lib/api-error';
import { IS_DEMO } from '@/lib/config';
import { pagesOf } from './navigation';
import { SessionExpired, SessionExpiredDialog } from './SessionExpired';

export function AppShell() {
  const myself = useQuery(myselfQueryOptions);
  const location = useLocation();

  return (
    <div className="flex min-h-dvh flex-col">
      {/* In the page's flow while it has the focus: it moves the header down instead of covering it. */}
      <a
        href="#main"
        className="sr-only bg-blue-700 text-center text-sm font-medium text-white underline focus:not-sr-only focus:block focus:px-4 focus:py-2 focus:outline-offset-[-4px] focus:outline-white"
      >
        Skip to content
      </a>
      <header className="bg-slate-900 text-white dark:border-b dark:border-slate-800">
        <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
          <div className="flex items-center gap-2">
            <img src="/favicon.svg" alt="" className="size-6" />
            <span className="text-lg font-semibold">API Token Console</span>
            {IS_DEMO && (
              <span className="rounded bg-amber-300 px-1.5 py-0.5 text-xs font-semibold text-amber-950">
                Demo
              </span>
            )}
          </div>
          {myself.data && <AccountMenu myself={myself.data} />}
        </div>
        {myself.data && (
          // The entries wrap on a narrow screen: every page stays in sight, none scrolled off.
          <nav aria-label="Main" className="mx-auto max-w-screen-2xl px-2">
            <ul className="flex flex-wrap gap-x-1">
              {pagesOf(myself.data).map((page) => (
                <li key={page.path}>
                  <NavLink
                    to={page.path}
                    className={({ isActive }) =>
                      `block border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
                        isActive
                          ? 'border-blue-400 text-white'
                          : 'border-transparent text-slate-300 hover:border-slate-500 hover:text-white'
                      }`
                    }
                  >
                    {page.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>

      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-screen-2xl flex-1 px-4 py-6 outline-none">
        {myself.isPending ? (
          <LoadingState label="Signing in…" />
        ) : myself.isError ? (
          myself.error instanceof ApiError && myself.error.kind === 'unauthorized' ? (
            <SessionExpired />
          ) : (
            <ErrorState error={myself.error} onRetry={() => void myself.refetch()} />
          )
        ) : (
          <QueryErrorResetBoundary>
            {({ reset }) => (
              <ErrorBoundary
                onReset={reset}
                resetKeys={[location.pathname]}
                fallbackRender={({ error, resetErrorBoundary }) => (
                  <ErrorState error={error} onRetry={resetErrorBoundary} />
                )}
              >
                <Outlet />
              </ErrorBoundary>
            )}
          </QueryErrorResetBoundary>
        )}
      </main>
      <SessionExpiredDialog />
    </div>
  );
}
