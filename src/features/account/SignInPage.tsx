import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';
import { apiRequest } from '@/lib/api-client';
import { ApiError } from '@/lib/api-error';
import { useSessionStore } from '@/stores/session';
import { safeNext } from './safe-next';
import { CARD_CLASS } from '@/components/ui/Card';

/** The real server's sign-in page (the demo signs in through its account switcher instead). */
export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  return (
    <main className="mx-auto mt-16 w-full max-w-sm px-4">
      <div className="mb-6 flex items-center gap-2">
        <img src="/favicon.svg" alt="" className="size-8" />
        <h1 className="text-2xl font-semibold">API Token Console</h1>
      </div>
      <div className={`${CARD_CLASS} p-6`}>
        <h2 className="mb-4 text-lg font-semibold">Sign in</h2>
        <SignInForm onSignedIn={() => void navigate(safeNext(params.get('next')), { replace: true })} />
      </div>
    </main>
  );
}

/**
 * Username and password against the real server. Used by the sign-in page, and in place when a
 * session expires (so that nothing on the page is lost).
 */
export function SignInForm({
  onSignedIn,
  username: knownUsername = '',
}: {
  onSignedIn: () => void;
  username?: string;
}) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState(knownUsername);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async () => {
    if (!username.trim() || !password) {
      setError('Enter your username and password.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      await apiRequest('/session', { method: 'POST', body: { username: username.trim(), password } });
      useSessionStore.getState().clearExpired();
      // Refresh what is on screen; forms keep their drafts.
      await queryClient.invalidateQueries();
      onSignedIn();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Sign-in failed. Try again.');
    } finally {
      setPending(false);
      setPassword('');
    }
  };

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {error && (
        <Notice tone="danger" alert>
          {error}
        </Notice>
      )}
      <TextField
        id="sign-in-username"
        label="Username"
        autoComplete="username"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <TextField
        id="sign-in-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" variant="primary" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
