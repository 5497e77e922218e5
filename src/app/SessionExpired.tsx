import { useQueryClient } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { DEFAULT_DEMO_USERNAME } from '@contract/demo';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
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
    <ConfirmDialog
      open={expired && hasUser}
      title="Session expired"
      confirmLabel={pending ? 'Signing in…' : 'Sign in again'}
      cancelLabel={null}
      danger={false}
      onCancel={() => undefined}
      onConfirm={signIn}
    >
      {EXPIRED_TEXT}
    </ConfirmDialog>
  );
}
