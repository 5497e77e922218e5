import { lazy, useState, type ComponentProps } from 'react';
import { ROLE_LABELS, type Myself } from '@contract/users';
import { LazyBoundary } from '@/components/LazyBoundary';
import { API_URL } from '@/lib/config';

// The menu's code loads when its button is first pressed (or pointed at), not with the first screen.
const loadMenu = () => import('./AccountMenuPopup');
const AccountMenuPopup = lazy(loadMenu);

/**
 * The link to the REST API's OpenAPI document, and the signed-in user and role with the account menu
 * (theme; in the demo the account switcher and reset; on the real server Sign out).
 */
export function AccountMenu({ myself }: { myself: Myself }) {
  const [opened, setOpened] = useState(false);
  const button = (
    <AccountButton
      myself={myself}
      aria-expanded={false}
      onPointerEnter={() => void loadMenu()}
      onClick={() => setOpened(true)}
    />
  );
  return (
    <div className="flex items-center gap-3">
      <a href={`${API_URL}/openapi.json`} className="text-sm text-white underline-offset-2 hover:underline">
        REST API
      </a>
      {opened ? (
        <LazyBoundary fallback={button} errorClassName="fixed top-16 right-4 z-50 w-80">
          <AccountMenuPopup myself={myself} trigger={<AccountButton myself={myself} />} />
        </LazyBoundary>
      ) : (
        button
      )}
    </div>
  );
}

/** The account button: name, username and role (the role left out where the name says it, "Administrator"). */
export function AccountButton({ myself, ...button }: ComponentProps<'button'> & { myself: Myself }) {
  const role = ROLE_LABELS[myself.role];
  return (
    <button
      type="button"
      aria-label={`Account: ${myself.displayName}, ${role}`}
      aria-haspopup="menu"
      className="flex items-center gap-2 rounded-md px-2 py-1 text-white hover:bg-white/10"
      {...button}
    >
      <span className="flex flex-col items-end leading-tight">
        <span className="text-sm font-medium">{myself.displayName}</span>
        <span className="text-xs text-slate-300">
          {myself.displayName === role ? myself.username : `${myself.username} · ${role}`}
        </span>
      </span>
      <span aria-hidden="true">▾</span>
    </button>
  );
}
