import { useQuery } from '@tanstack/react-query';
import { useState, type ReactElement } from 'react';
import { ROLE_LABELS, type Myself } from '@contract/users';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Menu, MenuChoice, MenuItem, MenuNote, MenuSeparator } from '@/components/ui/Menu';
import { IS_DEMO } from '@/lib/config';
import { selectTheme, useThemeStore, type Theme } from '@/stores/theme';
import { useSwitchAccount } from './api';
import { demoAccountsQueryOptions, useResetDemo, useSignOut } from './menu-api';

const THEME_CHOICES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** The account menu, open as it first appears (its button was pressed while its code loaded). */
export default function AccountMenuPopup({
  myself,
  trigger,
}: {
  myself: Myself;
  /** The account button (passed in: this chunk does not import the first screen's code). */
  trigger: ReactElement;
}) {
  const [confirmReset, setConfirmReset] = useState(false);
  const theme = useThemeStore(selectTheme);
  const setTheme = useThemeStore((s) => s.setTheme);
  const accounts = useQuery({ ...demoAccountsQueryOptions, enabled: IS_DEMO });
  const switchAccount = useSwitchAccount();
  const signOut = useSignOut();
  const resetDemo = useResetDemo();

  return (
    <>
      <Menu label="Account" defaultOpen trigger={trigger}>
        <MenuNote>
          Signed in as {myself.displayName} ({myself.username})
        </MenuNote>
        {IS_DEMO && (
          <>
            <MenuSeparator />
            {accounts.data ? (
              <MenuChoice
                label="Demo account"
                value={myself.username}
                choices={accounts.data.map((account) => ({
                  value: account.username,
                  label: `${account.displayName} (${ROLE_LABELS[account.role]})`,
                }))}
                onChange={(username) => switchAccount.mutate(username)}
              />
            ) : (
              <MenuNote>Loading the demo accounts…</MenuNote>
            )}
            <MenuItem danger onSelect={() => setConfirmReset(true)}>
              Reset demo data…
            </MenuItem>
          </>
        )}
        <MenuSeparator />
        <MenuChoice label="Theme" value={theme} choices={THEME_CHOICES} onChange={setTheme} />
        {!IS_DEMO && (
          <>
            <MenuSeparator />
            <MenuItem onSelect={() => void signOut()}>Sign out</MenuItem>
          </>
        )}
      </Menu>

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
