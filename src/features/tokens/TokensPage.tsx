import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useParams } from 'react-router';
import { TokenListQuerySchema, type Token, type TokenListQuery } from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { PageHeader } from '@/components/ui/PageHeader';
import { RouteTabs } from '@/components/ui/RouteTabs';
import { useAuthorization } from '@/lib/auth';
import { useUrlState, type UrlStateUpdate } from '@/lib/use-url-state';
import { tokensQueryOptions } from './api';
import { CreateTokenDialog } from './CreateTokenDialog';
import { EditTokenDialog, RevokeAllDialog, RevokeDialog, RotateTokenDialog } from './TokenDialogs';
import { TokenFilters } from './TokenFilters';
import { TokenTable, type TokenPermissions } from './TokenTable';
import { hasTokenFilters } from './filters';

type TokensTab = 'mine' | 'manage';

/** The token list's filters, sort and page in the address bar; whose tokens (`all`) is the tab's. */
const TokenUrlSchema = TokenListQuerySchema.omit({ all: true });

export function TokensPage() {
  const tab = useParams()['*'] as TokensTab | undefined;
  const { myself, can } = useAuthorization();
  if (!myself) return null;
  const tabs = [
    ...(can('tokens:own') ? [{ id: 'mine' as const, label: 'My API Tokens' }] : []),
    // Auditors see it too, read-only.
    ...(can(['tokens:manage', 'tokens:read']) ? [{ id: 'manage' as const, label: 'Token Manager' }] : []),
  ];
  if (!tabs.some((t) => t.id === tab)) return <Navigate to={`/tokens/${tabs[0]?.id ?? 'mine'}`} replace />;

  return (
    <>
      <PageHeader
        title="API Tokens"
        description="API tokens authenticate REST requests instead of a password: with Basic (username and token) or as a Bearer token."
      />
      {tabs.length > 1 ? (
        <RouteTabs label="API tokens" basePath="/tokens" tabs={tabs} value={tab!}>
          <TokenList key={tab} all={tab === 'manage'} />
        </RouteTabs>
      ) : (
        <>
          <h2 className="mb-4 text-lg font-semibold">{tabs[0]?.label}</h2>
          <TokenList all={tab === 'manage'} />
        </>
      )}
    </>
  );
}

/** A dialog about one token, or "revoke all" (one at a time). */
type Open =
  | { kind: 'create' | 'revoke-all' }
  | { kind: 'edit' | 'rotate'; token: Token }
  | { kind: 'revoke'; tokens: Token[] };

function TokenList({ all }: { all: boolean }) {
  const { can } = useAuthorization();
  const [state, setState] = useUrlState(TokenUrlSchema);
  const query: TokenListQuery = { ...state, all };
  // Changing a filter or the sort goes back to page 1.
  const update: UrlStateUpdate<TokenListQuery> = (patch, options) => setState({ page: 1, ...patch }, options);
  const tokens = useQuery(tokensQueryOptions(query));
  const [open, setOpen] = useState<Open | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const tableRef = useRef<HTMLDivElement>(null);
  /** After a revoke: the position of the first revoked row, where the focus goes once the list has it no more. */
  const refocus = useRef<{ index: number; gone: string[] } | null>(null);

  const canCreate = can(all ? 'tokens:manage' : 'tokens:create');
  const permissions: TokenPermissions = {
    audit: can('audit:read'),
    change: can(all ? 'tokens:manage' : 'tokens:write'),
    issue: canCreate,
  };
  const filtered = tokens.data !== undefined && tokens.data.total === 0 && hasTokenFilters(query);
  const page = tokens.data;
  const lastPage = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const pastTheEnd = page !== undefined && !tokens.isPlaceholderData && page.page > lastPage;
  // A page beyond the last (after revoking its rows, or from an old link) shows the last one instead.
  useEffect(() => {
    if (pastTheEnd) update({ page: lastPage }, { replace: true });
  }, [pastTheEnd, lastPage]); // eslint-disable-line react-hooks/exhaustive-deps
  const selectedTokens = page?.tokens.filter((t) => selected.has(t.id)) ?? [];

  // Once the revoked rows are gone, the focus goes to the row now where the first of them was (or the
  // last row, or the list), not to the page's body.
  useEffect(() => {
    const after = refocus.current;
    if (!after || !page || page.tokens.some((t) => after.gone.includes(t.id))) return;
    refocus.current = null;
    const buttons = tableRef.current?.querySelectorAll<HTMLElement>('tbody button[aria-haspopup="menu"]');
    const target = buttons?.[Math.min(after.index, buttons.length - 1)] ?? tableRef.current;
    target?.focus();
  }, [page]);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {all ? "Every user's API tokens." : 'Tokens that authenticate REST requests as you.'}
          {!permissions.change && ' You can view these tokens but not change them.'}
        </p>
        <div className="flex flex-wrap gap-2">
          {all && permissions.change && (
            <Button variant="danger" onClick={() => setOpen({ kind: 'revoke-all' })}>
              Revoke all tokens of a user…
            </Button>
          )}
          {canCreate && (
            <Button variant="primary" onClick={() => setOpen({ kind: 'create' })}>
              Create token
            </Button>
          )}
        </div>
      </div>
      <TokenFilters query={query} update={update} showOwner={all} />

      {tokens.isPending ? (
        <LoadingState label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : page && page.total === 0 ? (
        filtered ? (
          <Notice title="No tokens match these filters">
            Change or clear the filters to see more tokens.
          </Notice>
        ) : (
          <Notice title={all ? 'No API tokens yet' : 'You have no API tokens yet'}>
            {canCreate
              ? 'Create a token to authenticate REST requests from scripts and integrations instead of using your password.'
              : 'You are not allowed to create tokens. Ask an administrator if you need one.'}
          </Notice>
        )
      ) : page ? (
        <div ref={tableRef} tabIndex={-1} aria-label="Token list" className="space-y-2 outline-none">
          {permissions.change && (
            <SelectionBar
              count={selectedTokens.length}
              onRevoke={() => setOpen({ kind: 'revoke', tokens: selectedTokens })}
              onClear={() => setSelected(new Set())}
            />
          )}
          <TokenTable
            tokens={page.tokens}
            query={query}
            warningDays={page.expiryWarningDays}
            showOwner={all}
            can={permissions}
            selected={selected}
            onSelect={(ids, on) =>
              setSelected((prev) => {
                const next = new Set(prev);
                for (const id of ids)
                  if (on) next.add(id);
                  else next.delete(id);
                return next;
              })
            }
            onSort={(sort, order) => update({ sort, order })}
            onEdit={(token) => setOpen({ kind: 'edit', token })}
            onRotate={(token) => setOpen({ kind: 'rotate', token })}
            onRevoke={(token) => setOpen({ kind: 'revoke', tokens: [token] })}
          />
          <Pagination
            page={page.page}
            pageSize={page.pageSize}
            total={page.total}
            onPage={(p) => {
              update({ ...query, page: p });
              // The next page starts at its first row, not where the Next button was (the bottom).
              const list = tableRef.current;
              if (list && list.getBoundingClientRect().top < 0) list.scrollIntoView({ block: 'start' });
            }}
            busy={tokens.isPlaceholderData}
          />
        </div>
      ) : null}

      <CreateTokenDialog
        open={open?.kind === 'create'}
        onOpenChange={(next) => setOpen(next ? { kind: 'create' } : null)}
        forOtherUsers={all}
      />
      <RevokeDialog
        tokens={open?.kind === 'revoke' ? open.tokens : []}
        onClose={(revoked) => {
          if (revoked && open?.kind === 'revoke' && page) {
            const gone = open.tokens.map((t) => t.id);
            const index = page.tokens.findIndex((t) => gone.includes(t.id));
            refocus.current = { index: Math.max(0, index), gone };
            setSelected(new Set());
          }
          setOpen(null);
        }}
      />
      {open?.kind === 'edit' && (
        <EditTokenDialog
          token={open.token}
          canChangeExpiry={permissions.issue}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'rotate' && <RotateTokenDialog token={open.token} onClose={() => setOpen(null)} />}
      {open?.kind === 'revoke-all' && <RevokeAllDialog onClose={() => setOpen(null)} />}
    </div>
  );
}

/**
 * Bulk actions on the ticked rows. Always there and always one line high, so that ticking a row never
 * moves the rows (the next click would hit another one).
 */
function SelectionBar({
  count,
  onRevoke,
  onClear,
}: {
  count: number;
  onRevoke: () => void;
  onClear: () => void;
}) {
  return (
    <div className="flex h-9 items-center gap-3 overflow-x-auto text-sm whitespace-nowrap">
      {count > 0 ? (
        <>
          <span className="font-medium">{count} selected</span>
          <Button variant="danger" onClick={onRevoke}>
            Revoke selected
          </Button>
          <Button variant="ghost" onClick={onClear}>
            Clear selection
          </Button>
        </>
      ) : (
        <span className="text-slate-600 dark:text-slate-400">Tick tokens to revoke several at once.</span>
      )}
    </div>
  );
}

function Pagination({
  page,
  pageSize,
  total,
  onPage,
  busy,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  busy: boolean;
}) {
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const range =
    first === last ? first.toLocaleString() : `${first.toLocaleString()}–${last.toLocaleString()}`;
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2 text-sm">
      <p aria-live="polite">
        {busy
          ? 'Loading…'
          : `Showing ${range} of ${total.toLocaleString()} ${total === 1 ? 'token' : 'tokens'}`}
      </p>
      <div className="flex gap-2">
        <Button onClick={() => onPage(page - 1)} disabled={page <= 1}>
          Previous
        </Button>
        <span className="self-center">
          Page {page} of {pages}
        </span>
        <Button onClick={() => onPage(page + 1)} disabled={page >= pages}>
          Next
        </Button>
      </div>
    </nav>
  );
}
