import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { useSessionStore } from '@/stores/session';
import { showToast } from '@/stores/toasts';
import { ApiError } from './api-error';

/**
 * The one place that reacts to failures: a 401 ends the session, a failed background refresh or a
 * failed change shows a toast. Components render their own error states for failed first loads.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiError && error.kind === 'unauthorized') {
          useSessionStore.getState().markExpired();
          return;
        }
        // Only a refresh of data already on screen needs a toast; a first load shows its error in place.
        if (query.state.data !== undefined) {
          showToast({ tone: 'error', title: 'Could not refresh', description: error.message });
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (error instanceof ApiError && error.kind === 'unauthorized') {
          useSessionStore.getState().markExpired();
          return;
        }
        // A form that shows its own errors (422 field errors, 412 conflicts) opts out with meta.
        if (mutation.meta?.handlesErrors) return;
        showToast({ tone: 'error', title: 'The change was not saved', description: error.message });
      },
    }),
    // 'always': a request made while the browser believes it is offline fails at once with a clear
    // message (and can be retried), instead of waiting paused — a paused change would otherwise go out
    // later by itself, even after the user cancelled it.
    defaultOptions: {
      queries: {
        networkMode: 'always',
        staleTime: 30_000,
        retry: (failureCount, error) =>
          failureCount < 2 && error instanceof ApiError && (error.kind === 'network' || error.status >= 500),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
  return client;
}

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: Error;
    mutationMeta: { handlesErrors?: boolean };
  }
}
