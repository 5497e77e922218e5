import { Suspense, type ReactNode } from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import { ErrorState } from './ui/ErrorState';

/**
 * Around a component whose code loads on demand (React.lazy): `fallback` while it loads, and if it cannot
 * load (the server went away) the error with "Reload" in its place, instead of a blank page.
 */
export function LazyBoundary({
  fallback = null,
  errorClassName,
  children,
}: {
  fallback?: ReactNode;
  /** Where the error goes, for a component that is not in the page's flow. */
  errorClassName?: string;
  children: ReactNode;
}) {
  return (
    <ErrorBoundary
      fallbackRender={({ error }) => (
        <div className={errorClassName}>
          <ErrorState error={error} />
        </div>
      )}
    >
      <Suspense fallback={fallback}>{children}</Suspense>
    </ErrorBoundary>
  );
}
