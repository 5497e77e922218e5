import { useQueryClient } from '@tanstack/react-query';
import { lazy } from 'react';
import { Navigate } from 'react-router';
import { DEFAULT_DEMO_USERNAME } from '@contract/demo';
import { LazyBoundary } from '@/components/LazyBoundary';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { LoadingState } from '@/components/ui/LoadingState';
import { ModalDialog } from '@/components/ui/ModalDialog';
import { Notice } from '@/components/ui/Notice';
import { useSwitchAccount } from '@/features/account/api';
import { myselfQueryOptions } from '@/lib/auth';
import { IS_DEMO } from '@/lib/config';
import { selectSessionExpired, useSessionStore } from '@/stores/session';

// The sign-in form loads only when a session of the real server expires.
const SignInForm = lazy(() =>
  import('@/features/account/SignInPage').then((m) => ({ default: m.SignInForm })),
);

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

/** Over the page, when a request is answered 401 while the console is open: signing in keeps the page. */
export function SessionExpiredDialog() {
  const expired = useSessionStore(selectSessionExpired);
  const queryClient = useQueryClient();
  const myself = queryClient.getQueryData(myselfQueryOptions.queryKey);
  const { signIn, pending } = useSignInAgain();
  const open = expired && myself !== undefined;
  if (!IS_DEMO) {
    return (
      <ModalDialog
        open={open}
        onClose={() => undefined}
        title="Session expired"
        role="alertdialog"
        description={EXPIRED_TEXT}
      >
        <LazyBoundary fallback={<LoadingState />}>
          <SignInForm username={myself?.username} onSignedIn={() => undefined} />
        </LazyBoundary>
      </ModalDialog>
    );
  }
  return (
    <ConfirmDialog
      open={open}
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
