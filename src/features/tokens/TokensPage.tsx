import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
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
import { EditDescriptionDialog, RevokeAllDialog, RevokeDialog } from './TokenDialogs';
import { TokenFilters } from './TokenFilters';
import { TokenTable } from './TokenTable';
import { hasTokenFilters } from './filters';

type TokensTab = 'mine' | 'manage';

/** The token list's filters, sort and page in the address bar; whose tokens (`all`) is the tab's. */
const TokenUrlSchema = TokenListQuerySchema.omit({ all: true });

export function TokensPage() {
  const tab = useParams()['*'] as TokensTab | undefined;
  const { myself, can } = useAuthorization();
  if (!myself) return null;
  const canManage = can('tokens:manage');
  const canOwn = can('tokens:own');
  const tabs = [
    ...(canOwn ? [{ id: 'mine' as const, label: 'My API Tokens' }] : []),
    ...(canManage ? [{ id: 'manage' as const, label: 'Token Manager' }] : []),
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

function TokenList({ all }: { all: boolean }) {
  const { can } = useAuthorization();
  const [state, setState] = useUrlState(TokenUrlSchema);
  const query: TokenListQuery = { ...state, all };
  // Changing a filter or the sort goes back to page 1.
  const update: UrlStateUpdate<TokenListQuery> = (patch, options) => setState({ page: 1, ...patch }, options);
  const tokens = useQuery(tokensQueryOptions(query));
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token[]>([]);
  const [editing, setEditing] = useState<Token | null>(null);
  const [revokingAll, setRevokingAll] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const canCreate = can(all ? 'tokens:manage' : 'tokens:create');
  const canChange = can(all ? 'tokens:manage' : 'tokens:write');
  const filtered = tokens.data !== undefined && tokens.data.total === 0 && hasTokenFilters(query);
  const page = tokens.data;
  const lastPage = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const pastTheEnd = page !== undefined && !tokens.isPlaceholderData && page.page > lastPage;
  // A page beyond the last (after revoking its rows, or from an old link) shows the last one instead.
  useEffect(() => {
    if (pastTheEnd) update({ page: lastPage }, { replace: true });
  }, [pastTheEnd, lastPage]); // eslint-disable-line react-hooks/exhaustive-deps
  const selectedTokens = page?.tokens.filter((t) => selected.has(t.id)) ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {all ? "Every user's API tokens." : 'Tokens that authenticate REST requests as you.'}
          {!canChange && ' You can view these tokens but not change them.'}
        </p>
        <div className="flex flex-wrap gap-2">
          {all && canChange && (
            <Button variant="danger" onClick={() => setRevokingAll(true)}>
              Revoke all tokens of a user…
            </Button>
          )}
          {canCreate && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create token
            </Button>
          )}
        </div>
      </div>
      <TokenFilters query={query} update={update} showOwner={all} />

      {canChange && selectedTokens.length > 0 && (
        <div className="flex items-center gap-3 rounded-md bg-slate-100 p-2 text-sm dark:bg-slate-800">
          <span>{selectedTokens.length} selected</span>
          <Button variant="danger" onClick={() => setRevoking(selectedTokens)}>
            Revoke selected
          </Button>
          <Button variant="ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </div>
      )}

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
        <>
          <TokenTable
            tokens={page.tokens}
            query={query}
            warningDays={page.expiryWarningDays}
            showOwner={all}
            canChange={canChange}
            canSeeAudit={can('audit:read')}
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
            onRevoke={(token) => setRevoking([token])}
            onEdit={setEditing}
          />
          <Pagination
            page={page.page}
            pageSize={page.pageSize}
            total={page.total}
            onPage={(p) => update({ ...query, page: p })}
            busy={tokens.isPlaceholderData}
          />
        </>
      ) : null}

      <CreateTokenDialog open={creating} onOpenChange={setCreating} forOtherUsers={all} />
      <RevokeDialog
        tokens={revoking}
        onClose={(revoked) => {
          if (revoked) setSelected(new Set());
          setRevoking([]);
        }}
      />
      <EditDescriptionDialog key={editing?.id ?? 'none'} token={editing} onClose={() => setEditing(null)} />
      {all && <RevokeAllDialog open={revokingAll} onClose={() => setRevokingAll(false)} />}
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
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2 text-sm">
      <p aria-live="polite">
        {busy
          ? 'Loading…'
          : `Showing ${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()} tokens`}
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
