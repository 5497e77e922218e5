// What the first screen needs (SessionExpired signs in again as a demo account); the account menu's
// own calls are in menu-api.ts, loaded with the menu.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { apiRequest } from '@/lib/api-client';
import { myselfQueryOptions } from '@/lib/auth';
import { useSessionStore } from '@/stores/session';
import { showToast } from '@/stores/toasts';

/**
 * Demo: sign in as a demo account. Signing in again as the same account (after the session expired)
 * keeps the page and what is on it; another account starts over at its landing page.
 */
export function useSwitchAccount() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (username: string) => apiRequest('/demo/session', { method: 'PUT', body: { username } }),
    onSuccess: async (_response, username) => {
      const previous = queryClient.getQueryData(myselfQueryOptions.queryKey)?.username;
      useSessionStore.getState().clearExpired();
      if (previous === username) {
        await queryClient.invalidateQueries();
        return;
      }
      await navigate('/');
      // Everything cached belonged to the previous account.
      await queryClient.resetQueries();
      const myself = queryClient.getQueryData(myselfQueryOptions.queryKey);
      showToast({ tone: 'info', title: `Signed in as ${myself?.displayName ?? username}` });
    },
  });
}
