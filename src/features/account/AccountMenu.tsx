import { useQuery } from '@tanstack/react-query';
import { DropdownMenu } from 'radix-ui';
import { useState } from 'react';
import { ROLE_LABELS, type Myself } from '@contract/users';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { IS_DEMO } from '@/lib/config';
import { demoAccountsQueryOptions, useResetDemo, useSignOut, useSwitchAccount } from './api';

const MENU_ITEM =
  'flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800';

/** The signed-in user and role; in demo mode, the account switcher and "Reset demo data". */
export function AccountMenu({ myself }: { myself: Myself }) {
  const [confirmReset, setConfirmReset] = useState(false);
  const accounts = useQuery({ ...demoAccountsQueryOptions, enabled: IS_DEMO });
  const switchAccount = useSwitchAccount();
  const signOut = useSignOut();
  const resetDemo = useResetDemo();

  const who = (
    <span className="flex flex-col items-end leading-tight">
      <span className="text-sm font-medium">{myself.displayName}</span>
      <span className="text-xs text-slate-300">{ROLE_LABELS[myself.role]}</span>
    </span>
  );
  if (!IS_DEMO) {
    return (
      <div className="flex items-center gap-3 text-white">
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
    <>
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger
          aria-label={`Account: ${myself.displayName}, ${ROLE_LABELS[myself.role]}`}
          className="flex items-center gap-2 rounded-md px-2 py-1 text-white hover:bg-white/10"
        >
          {who}
          <span aria-hidden="true">▾</span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={6}
            className="z-50 min-w-64 rounded-md border border-slate-200 bg-white p-1 text-slate-900 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
          >
            <DropdownMenu.Label className="px-2 py-1 text-xs font-semibold text-slate-600 dark:text-slate-300">
              Demo accounts
            </DropdownMenu.Label>
            <DropdownMenu.RadioGroup
              value={myself.username}
              onValueChange={(username) => switchAccount.mutate(username)}
            >
              {accounts.data?.map((account) => (
                <DropdownMenu.RadioItem key={account.username} value={account.username} className={MENU_ITEM}>
                  <span className="w-4" aria-hidden="true">
                    <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
                  </span>
                  {account.displayName} ({ROLE_LABELS[account.role]})
                </DropdownMenu.RadioItem>
              ))}
            </DropdownMenu.RadioGroup>
            <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
            <DropdownMenu.Item className={MENU_ITEM} onSelect={() => setConfirmReset(true)}>
              <span className="w-4" aria-hidden="true" />
              Reset demo data
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>

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
    </>
  );
}
