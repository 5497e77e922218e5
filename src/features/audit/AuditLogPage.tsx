import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/Button';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { PageHeader } from '@/components/ui/PageHeader';
import { auditRecordsQueryOptions, newRecordsQueryOptions } from './api';
import { AuditDetails } from './AuditDetails';
import { AuditFilters, FilterChips } from './AuditFilters';
import { hasAuditFilters } from './filters';
import { TextLink } from '@/components/ui/TextLink';
import { AuditList } from './AuditList';
import { AuditTimeline } from './AuditTimeline';
import { ExportButton } from './ExportButton';
import { useUrlState } from '@/lib/use-url-state';
import { AuditViewSchema, viewToFilter, zoneName } from '@/lib/audit-view';

export function AuditLogPage() {
  const [view, update] = useUrlState(AuditViewSchema);
  const queryClient = useQueryClient();
  const records = useInfiniteQuery(auditRecordsQueryOptions(view));
  const [paused, setPaused] = useState(false);
  const lastFocused = useRef<HTMLElement | null>(null);

  const loaded = useMemo(() => records.data?.pages.flatMap((p) => p.records) ?? [], [records.data]);
  const filter = records.data?.pages[0]?.filter;
  const newest = loaded[0]?.id;
  const fresh = useQuery(newRecordsQueryOptions(view, filter, newest, paused));
  const newCount = fresh.data ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = records;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const showNew = () => {
    void queryClient.resetQueries({ queryKey: auditRecordsQueryOptions(view).queryKey, exact: true });
  };

  // From 1280 px the details sit beside the list (which adapts its columns to the width left); below,
  // they lie over the page.
  return (
    <div className={view.record ? 'xl:grid xl:grid-cols-[minmax(0,1fr)_28rem] xl:gap-4' : undefined}>
      <div className="min-w-0">
        <PageHeader
          title="Audit Log"
          description={`Audit records of API-token authentication, newest first. Times in ${zoneName(view.tz)}.`}
          actions={<ExportButton filter={filter ?? viewToFilter(view, new Date())} />}
        />
        <div className="space-y-3">
          <AuditFilters view={view} update={update} />
          <FilterChips view={view} update={update} />
          <AuditTimeline view={view} onNarrow={(from, to) => update({ range: 'custom', from, to })} />

          <div className="flex flex-wrap items-center justify-between gap-2 text-sm" aria-live="polite">
            <span>
              {records.isSuccess &&
                `${loaded.length.toLocaleString()} records loaded${hasNextPage ? ' (scroll for more)' : ''}.`}
            </span>
            <span className="flex items-center gap-2">
              {newCount > 0 && (
                <>
                  <span
                    role="status"
                    className="rounded-full bg-blue-100 px-3 py-1 font-medium text-blue-950 dark:bg-blue-950 dark:text-blue-100"
                  >
                    {newCount >= 1000 ? '1000+' : newCount} new {newCount === 1 ? 'record' : 'records'}
                  </span>
                  <Button onClick={showNew}>Show new records</Button>
                </>
              )}
              <Button onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
                {paused ? 'Resume live updates' : 'Pause live updates'}
              </Button>
            </span>
          </div>

          {records.isPending ? (
            <LoadingState label="Loading audit records…" />
          ) : records.isError ? (
            <ErrorState error={records.error} onRetry={() => void records.refetch()} />
          ) : loaded.length === 0 ? (
            hasAuditFilters(view) ? (
              <Notice title="No audit records match these filters">
                Widen the time range or remove a filter. Authentication events are recorded only for the
                options turned on in{' '}
                <TextLink to="/settings/audit-logging">Settings › Audit Logging</TextLink>.
              </Notice>
            ) : (
              <Notice title="No audit records yet">
                Token creation and deletion and every settings change are always recorded; authentication
                events only for the options turned on in{' '}
                <TextLink to="/settings/audit-logging">Settings › Audit Logging</TextLink>.
              </Notice>
            )
          ) : (
            <AuditList
              records={loaded}
              zone={view.tz}
              openId={view.record}
              hasMore={hasNextPage}
              loadingMore={isFetchingNextPage}
              onLoadMore={loadMore}
              onOpen={(record) => {
                lastFocused.current = document.activeElement as HTMLElement | null;
                update({ record: record.id }, { replace: view.record !== undefined });
              }}
            />
          )}
        </div>
      </div>
      {view.record && (
        <AuditDetails
          id={view.record}
          zone={view.tz}
          onClose={() => {
            update({ record: undefined }, { replace: true });
            requestAnimationFrame(() => lastFocused.current?.focus());
          }}
        />
      )}
    </div>
  );
}
