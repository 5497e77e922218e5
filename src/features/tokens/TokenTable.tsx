import { SCOPE_LABELS, tokenStatus, type Token, type TokenListQuery } from '@contract/tokens';
import { formatDateTime } from '@/lib/time';
import { CARD_CLASS } from '@/components/ui/Card';
import { HeaderCell, TABLE_HEAD_CLASS } from '@/components/ui/DataTable';
import { LINK_CLASS, TextLink } from '@/components/ui/TextLink';

type SortField = TokenListQuery['sort'];

function StatusBadge({ token, warningDays }: { token: Token; warningDays: number }) {
  const { status, daysLeft } = tokenStatus(token, new Date(), warningDays);
  if (status === 'expired') {
    return (
      <span className="ml-1 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-900 dark:bg-red-950 dark:text-red-200">
        Expired
      </span>
    );
  }
  if (status === 'expiring') {
    return (
      <span className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-950 dark:bg-amber-950 dark:text-amber-200">
        Expires in {daysLeft} {daysLeft === 1 ? 'day' : 'days'}
      </span>
    );
  }
  return null;
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
    <th
      scope="col"
      aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}
      className="px-3 py-2"
    >
      <button
        type="button"
        className="inline-flex items-center gap-1 font-semibold"
        onClick={() => onSort(field, next)}
      >
        {label}
        <span aria-hidden="true">{active ? (query.order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}

export function TokenTable({
  tokens,
  query,
  warningDays,
  showOwner,
  canChange,
  canSeeAudit,
  selected,
  onSelect,
  onSort,
  onRevoke,
  onEdit,
}: {
  tokens: readonly Token[];
  query: TokenListQuery;
  warningDays: number;
  showOwner: boolean;
  canChange: boolean;
  /** Auditors and administrators: each token links to its audit records (creation, use, deletion). */
  canSeeAudit: boolean;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
  onSort: (field: SortField, order: 'asc' | 'desc') => void;
  onRevoke: (token: Token) => void;
  onEdit: (token: Token) => void;
}) {
  const allSelected = tokens.length > 0 && tokens.every((t) => selected.has(t.id));
  return (
    <div className={`${CARD_CLASS} relative overflow-x-auto`}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API tokens</caption>
        <thead className={TABLE_HEAD_CLASS}>
          <tr>
            {canChange && (
              <th scope="col" className="w-8 px-3 py-2">
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
            <HeaderCell>IP restrictions</HeaderCell>
            <HeaderCell>
              <span className="sr-only">Actions</span>
            </HeaderCell>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr
              key={token.id}
              className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
            >
              {canChange && (
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Select ${token.description}`}
                    checked={selected.has(token.id)}
                    onChange={(e) => onSelect([token.id], e.target.checked)}
                  />
                </td>
              )}
              <th scope="row" className="px-3 py-2 font-medium">
                {token.description}
                <div className="font-mono text-xs font-normal text-slate-600 dark:text-slate-400">
                  {token.id}
                </div>
              </th>
              {showOwner && <td className="px-3 py-2">{token.ownerUsername}</td>}
              <td className="px-3 py-2 whitespace-nowrap">{SCOPE_LABELS[token.scope]}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(token.createdAt)}</td>
              <td className="px-3 py-2">
                <span className="whitespace-nowrap">
                  {token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}
                </span>
                <StatusBadge token={token} warningDays={warningDays} />
              </td>
              <td className="px-3 py-2">
                {token.lastUsedAt ? (
                  <>
                    <span className="whitespace-nowrap">{formatDateTime(token.lastUsedAt)}</span>
                    <div className="font-mono text-xs text-slate-600 dark:text-slate-400">
                      {token.lastUsedIp}
                    </div>
                  </>
                ) : (
                  <span className="text-slate-600 dark:text-slate-400">Never</span>
                )}
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                {token.ipRestrictions.length ? (
                  token.ipRestrictions.join(', ')
                ) : (
                  <span className="font-sans text-slate-600 dark:text-slate-400">Any address</span>
                )}
              </td>
              <td className="px-3 py-2">
                <div className="flex flex-wrap justify-end gap-x-3 gap-y-1 whitespace-nowrap">
                  {canSeeAudit && (
                    <TextLink
                      to={`/audit?object=${encodeURIComponent(token.id)}`}
                      aria-label={`Audit records of ${token.description}`}
                    >
                      Audit records
                    </TextLink>
                  )}
                  {canChange && (
                    <>
                      <button
                        type="button"
                        className={LINK_CLASS}
                        aria-label={`Edit description of ${token.description}`}
                        onClick={() => onEdit(token)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="text-red-700 underline dark:text-red-400"
                        aria-label={`Revoke ${token.description}`}
                        onClick={() => onRevoke(token)}
                      >
                        Revoke
                      </button>
                    </>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
