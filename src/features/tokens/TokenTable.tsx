import { SCOPE_LABELS, tokenStatus, type Token, type TokenListQuery } from '@contract/tokens';
import { formatDate, formatDateTime, formatTime } from '@/lib/time';
import { CARD_CLASS } from '@/components/ui/Card';
import { HeaderCell, TABLE_HEAD_CLASS } from '@/components/ui/DataTable';
import { Menu, MenuItem, MenuLink } from '@/components/ui/Menu';

type SortField = TokenListQuery['sort'];

const BADGE = 'mt-0.5 inline-block rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap';
const WARNING_BADGE = `${BADGE} bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-200`;
const CELL = 'px-2 py-2';

/** Under the expiry: expired, expiring soon, or (as GitHub warns) no expiry at all. */
function StatusBadge({ token, warningDays }: { token: Token; warningDays: number }) {
  if (token.expiresAt === null) return <span className={WARNING_BADGE}>No expiry</span>;
  const { status, daysLeft } = tokenStatus(token, new Date(), warningDays);
  if (status === 'expired') {
    return (
      <span className={`${BADGE} bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200`}>Expired</span>
    );
  }
  if (status === 'expiring') {
    return (
      <span className={WARNING_BADGE}>
        Expires in {daysLeft} {daysLeft === 1 ? 'day' : 'days'}
      </span>
    );
  }
  return null;
}

/** A date, and its time under it: three date columns and the row's actions fit a laptop's width. */
function DateTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} className="block whitespace-nowrap">
      {formatDate(iso)}
      <span className="block text-xs text-slate-600 dark:text-slate-400">{formatTime(iso)}</span>
    </time>
  );
}

function SortHeader({
  field,
  label,
  query,
  onSort,
}: {
  field: SortField;
  label: string;
  query: TokenListQuery;
  onSort: (field: SortField, order: 'asc' | 'desc') => void;
}) {
  const active = query.sort === field;
  const next = active && query.order === 'desc' ? 'asc' : 'desc';
  return (
    <HeaderCell aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        className="inline-flex items-center gap-1 font-semibold whitespace-nowrap"
        onClick={() => onSort(field, next)}
      >
        {label}
        <span aria-hidden="true">{active ? (query.order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </HeaderCell>
  );
}

/** What the user may do with the listed tokens. */
export interface TokenPermissions {
  /** Auditors and administrators: each token links to its audit records (creation, use, deletion). */
  audit: boolean;
  /** Edit and revoke. */
  change: boolean;
  /** Rotate, and change the expiry: a longer life is like a new token. */
  issue: boolean;
}

export interface TokenActions {
  onEdit: (token: Token) => void;
  onRotate: (token: Token) => void;
  onRevoke: (token: Token) => void;
}

/** A row's actions, in a menu: one narrow column, always in sight (it stays at the right edge). */
function RowActions({ token, can, ...actions }: { token: Token; can: TokenPermissions } & TokenActions) {
  if (!can.audit && !can.change) return null;
  return (
    <Menu
      trigger={
        <button
          type="button"
          aria-label={`Actions for ${token.description}`}
          className="rounded-md border border-slate-300 px-2.5 py-1 leading-none hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          <span aria-hidden="true">⋯</span>
        </button>
      }
    >
      {can.audit && <MenuLink to={`/audit?object=${encodeURIComponent(token.id)}`}>Audit records</MenuLink>}
      {can.change && <MenuItem onSelect={() => actions.onEdit(token)}>Edit…</MenuItem>}
      {can.change && can.issue && <MenuItem onSelect={() => actions.onRotate(token)}>Rotate…</MenuItem>}
      {can.change && (
        <MenuItem danger onSelect={() => actions.onRevoke(token)}>
          Revoke…
        </MenuItem>
      )}
    </Menu>
  );
}

export function TokenTable({
  tokens,
  query,
  warningDays,
  showOwner,
  can,
  selected,
  onSelect,
  onSort,
  ...actions
}: {
  tokens: readonly Token[];
  query: TokenListQuery;
  warningDays: number;
  showOwner: boolean;
  can: TokenPermissions;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
  onSort: (field: SortField, order: 'asc' | 'desc') => void;
} & TokenActions) {
  const allSelected = tokens.length > 0 && tokens.every((t) => selected.has(t.id));
  // The actions stay at the right edge when the table is wider than the screen (a phone).
  const sticky = 'sticky right-0 bg-white dark:bg-slate-900';
  return (
    <div className={`${CARD_CLASS} overflow-x-auto`}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API tokens</caption>
        <thead className={TABLE_HEAD_CLASS}>
          <tr>
            {can.change && (
              <th scope="col" className="w-8 px-2 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all tokens on this page"
                  checked={allSelected}
                  onChange={(e) =>
                    onSelect(
                      tokens.map((t) => t.id),
                      e.target.checked,
                    )
                  }
                />
              </th>
            )}
            <HeaderCell>Description</HeaderCell>
            {showOwner && <HeaderCell>Owner</HeaderCell>}
            <HeaderCell>Scope</HeaderCell>
            <SortHeader field="createdAt" label="Created" query={query} onSort={onSort} />
            <SortHeader field="expiresAt" label="Expires" query={query} onSort={onSort} />
            <SortHeader field="lastUsedAt" label="Last used" query={query} onSort={onSort} />
            <HeaderCell className="whitespace-nowrap">IP restrictions</HeaderCell>
            <HeaderCell className="sticky right-0 bg-slate-50 dark:bg-slate-800">
              <span className="sr-only">Actions</span>
            </HeaderCell>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr
              key={token.id}
              className="border-b border-slate-100 bg-white align-top last:border-0 dark:border-slate-800 dark:bg-slate-900"
            >
              {can.change && (
                <td className={CELL}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${token.description}`}
                    checked={selected.has(token.id)}
                    onChange={(e) => onSelect([token.id], e.target.checked)}
                  />
                </td>
              )}
              <th scope="row" className={`${CELL} min-w-40 font-medium`}>
                {token.description}
                <div className="font-mono text-xs font-normal text-slate-600 dark:text-slate-400">
                  {token.id}
                </div>
                <PreviousSecret token={token} />
              </th>
              {showOwner && <td className={CELL}>{token.ownerUsername}</td>}
              <td className={`${CELL} whitespace-nowrap`}>{SCOPE_LABELS[token.scope]}</td>
              <td className={CELL}>
                <DateTime iso={token.createdAt} />
              </td>
              <td className={CELL}>
                {token.expiresAt ? <DateTime iso={token.expiresAt} /> : <div>Never</div>}
                <StatusBadge token={token} warningDays={warningDays} />
              </td>
              <td className={CELL}>
                {token.lastUsedAt ? (
                  <>
                    <DateTime iso={token.lastUsedAt} />
                    <div className="font-mono text-xs text-slate-600 dark:text-slate-400">
                      {token.lastUsedIp}
                    </div>
                  </>
                ) : (
                  <span className="text-slate-600 dark:text-slate-400">Never</span>
                )}
              </td>
              <td className={`${CELL} font-mono text-xs`}>
                {token.ipRestrictions.length ? (
                  token.ipRestrictions.join(', ')
                ) : (
                  <span className="font-sans whitespace-nowrap text-slate-600 dark:text-slate-400">
                    Any address
                  </span>
                )}
              </td>
              <td className={`${CELL} ${sticky} text-right`}>
                <RowActions token={token} can={can} {...actions} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** After a rotation with a grace period: until when the previous secret still works. */
function PreviousSecret({ token }: { token: Token }) {
  const until = token.previousSecretExpiresAt;
  if (!until || Date.parse(until) <= new Date().getTime()) return null;
  return (
    <div className="mt-0.5 text-xs font-normal text-amber-800 dark:text-amber-300">
      Previous secret works until {formatDateTime(until)}
    </div>
  );
}
