import { useRouteError } from 'react-router';
import { ErrorState } from '@/components/ui/ErrorState';

/** The app-level error boundary: the router renders it when anything outside a page fails. */
export function AppError() {
  const error = useRouteError();
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="mb-4 text-2xl font-semibold">API Token Console</h1>
      <ErrorState error={error} onRetry={() => window.location.reload()} />
    </main>
  );
}
