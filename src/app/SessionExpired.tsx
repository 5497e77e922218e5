import { useQueryClient } from '@tanstack/react-query';
import { AlertDialog } from 'radix-ui';
import { Navigate } from 'react-router';
import { DEFAULT_DEMO_USERNAME } from '@contract/demo';
import { Button } from '@/components/ui/Button';
import { Notice } from '@/components/ui/Notice';
import { myselfQueryOptions, useSwitchAccount } from '@/features/account/api';
import { IS_DEMO } from '@/lib/config';
import { selectSessionExpired, useSessionStore } from '@/stores/session';

const EXPIRED_TEXT = 'Your session has expired. Sign in again to continue; nothing on this page is lost.';

/** Signs in again: the demo re-enters the last account; a real server asks for credentials. */
function useSignInAgain() {
  const queryClient = useQueryClient();
  const switchAccount = useSwitchAccount();
  return {
    pending: switchAccount.isPending,
    signIn: () => {
      if (IS_DEMO) {
        const last = queryClient.getQueryData(myselfQueryOptions.queryKey)?.username;
        switchAccount.mutate(last ?? DEFAULT_DEMO_USERNAME);
      } else {
        window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
      }
    },
  };
}

/** In place of the page, when the console opened without a session (the real server: its sign-in page). */
export function SessionExpired() {
  const { signIn, pending } = useSignInAgain();
  if (!IS_DEMO) {
    return (
      <Navigate
        to={`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`}
        replace
      />
    );
  }
  return (
    <Notice tone="warning" title="Session expired" alert>
      <p>{EXPIRED_TEXT}</p>
      <Button variant="primary" className="mt-3" onClick={signIn} disabled={pending}>
        Sign in again
      </Button>
    </Notice>
  );
}

/** Over the page, when a request is answered 401 while the console is open. */
export function SessionExpiredDialog() {
  const expired = useSessionStore(selectSessionExpired);
  const queryClient = useQueryClient();
  const hasUser = queryClient.getQueryData(myselfQueryOptions.queryKey) !== undefined;
  const { signIn, pending } = useSignInAgain();
  return (
    <AlertDialog.Root open={expired && hasUser}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 text-slate-900 shadow-xl dark:bg-slate-900 dark:text-slate-100">
          <AlertDialog.Title className="text-lg font-semibold">Session expired</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            {EXPIRED_TEXT}
          </AlertDialog.Description>
          <div className="mt-6 flex justify-end">
            <AlertDialog.Action asChild>
              <Button variant="primary" onClick={signIn} disabled={pending}>
                Sign in again
              </Button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
