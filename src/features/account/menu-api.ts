import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { apiJson, apiRequest } from '@/lib/api-client';
import { SIGN_IN_PATH } from '@/lib/auth';
import { QUERY_ROOTS } from '@/lib/query-keys';
import { useSessionStore } from '@/stores/session';
import { showToast } from '@/stores/toasts';

// The account menu's calls, loaded with the menu (not with the first screen).

export const demoAccountsQueryOptions = queryOptions({
  queryKey: QUERY_ROOTS.demoAccounts,
  queryFn: async ({ signal }) => {
    const { DemoAccountSchema } = await import('@contract/demo-schemas');
    return apiJson('/demo/accounts', DemoAccountSchema.array(), { signal });
  },
  staleTime: Infinity,
});

/** Demo: restore the seeded data (and the default account). */
export function useResetDemo() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => apiRequest('/demo/reset', { method: 'POST' }),
    onSuccess: async () => {
      useSessionStore.getState().clearExpired();
      await navigate('/');
      await queryClient.resetQueries();
      showToast({ tone: 'success', title: 'Demo data reset' });
    },
  });
}

/** The real server: ends the session, forgets everything cached, and shows the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    // Off the pages first and nothing left in flight, so that no request of theirs meets the ended
    // session (a 401 in the browser's console).
    await navigate(SIGN_IN_PATH, { replace: true });
    await queryClient.cancelQueries();
    try {
      await apiRequest('/session', { method: 'DELETE' });
    } finally {
      queryClient.clear();
    }
  };
}
