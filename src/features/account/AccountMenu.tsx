import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLE_LABELS, type Myself } from '@contract/users';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { ModalDialog } from '@/components/ui/ModalDialog';
import { API_URL, IS_DEMO } from '@/lib/config';
import { demoAccountsQueryOptions, useResetDemo, useSignOut, useSwitchAccount } from './api';

/** The signed-in user and role; in demo mode, the account switcher and "Reset demo data". */
export function AccountMenu({ myself }: { myself: Myself }) {
  const [open, setOpen] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const accounts = useQuery({ ...demoAccountsQueryOptions, enabled: IS_DEMO });
  const switchAccount = useSwitchAccount();
  const signOut = useSignOut();
  const resetDemo = useResetDemo();

  const role = ROLE_LABELS[myself.role];
  // The username, and the role unless the name already says it (the real server's "Administrator").
  const who = (
    <span className="flex flex-col items-end leading-tight">
      <span className="text-sm font-medium">{myself.displayName}</span>
      <span className="text-xs text-slate-300">
        {myself.displayName === role ? myself.username : `${myself.username} · ${role}`}
      </span>
    </span>
  );
  const restApi = (
    <a href={`${API_URL}/openapi.json`} className="text-sm text-white underline-offset-2 hover:underline">
      REST API
    </a>
  );
  if (!IS_DEMO) {
    return (
      <div className="flex items-center gap-3 text-white">
        {restApi}
        {who}
        <button
          type="button"
          className="rounded-md border border-white/40 px-2 py-1 text-sm hover:bg-white/10"
          onClick={() => void signOut()}
        >
          Sign out
        </button>
      </div>
    );
  }

  return (
    <div className="flex items-center gap-3">
      {restApi}
      <button
        type="button"
        aria-label={`Account: ${myself.displayName}, ${ROLE_LABELS[myself.role]}`}
        aria-haspopup="dialog"
        className="flex items-center gap-2 rounded-md px-2 py-1 text-white hover:bg-white/10"
        onClick={() => setOpen(true)}
      >
        {who}
        <span aria-hidden="true">▾</span>
      </button>
      <ModalDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Demo accounts"
        description="The demo signs you in as one of these accounts; each sees the console as its role allows."
      >
        <ul className="space-y-1">
          {accounts.data?.map((account) => {
            const current = account.username === myself.username;
            return (
              <li key={account.username}>
                <button
                  type="button"
                  aria-pressed={current}
                  className={`flex w-full items-center gap-2 rounded-md border px-3 py-2 text-left text-sm ${
                    current
                      ? 'border-blue-600 bg-blue-50 dark:border-blue-400 dark:bg-blue-950'
                      : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'
                  }`}
                  onClick={() => {
                    setOpen(false);
                    if (!current) switchAccount.mutate(account.username);
                  }}
                >
                  <span className="w-4" aria-hidden="true">
                    {current ? '✓' : ''}
                  </span>
                  {account.displayName} ({ROLE_LABELS[account.role]})
                </button>
              </li>
            );
          })}
        </ul>
        <div className="mt-5 flex justify-between gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
          <Button
            variant="danger"
            onClick={() => {
              setOpen(false);
              setConfirmReset(true);
            }}
          >
            Reset demo data…
          </Button>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </div>
      </ModalDialog>

      <ConfirmDialog
        open={confirmReset}
        title="Reset demo data?"
        confirmLabel="Reset demo data"
        onCancel={() => setConfirmReset(false)}
        onConfirm={() => {
          setConfirmReset(false);
          resetDemo.mutate();
        }}
      >
        Every change made in this demo is discarded and the seeded data comes back. You will be signed in as
        the demo administrator.
      </ConfirmDialog>
    </div>
  );
}
