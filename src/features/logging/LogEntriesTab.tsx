import { useEffect, useRef } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { LOG_LEVELS, LogEntriesQuerySchema, type LogLevel } from '@contract/logging';
import { Button } from '@/components/ui/Button';
import { FilterField } from '@/components/ui/FilterField';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { formatDateTime } from '@/lib/time';
import { useMirror } from '@/lib/use-mirror';
import { useUrlState } from '@/lib/use-url-state';
import { INPUT_CLASS } from '@/components/ui/Field';
import { logEntriesQueryOptions, loggersQueryOptions } from './api';
import { nodeLabel } from './nodes';
import { CARD_CLASS } from '@/components/ui/Card';
import { HeaderCell, TABLE_HEAD_CLASS } from '@/components/ui/DataTable';

const ENTRY_LEVELS = LOG_LEVELS.filter((l): l is Exclude<LogLevel, 'OFF'> => l !== 'OFF');

const LEVEL_TONE: Partial<Record<LogLevel, string>> = {
  FATAL: 'text-red-800 dark:text-red-300',
  ERROR: 'text-red-800 dark:text-red-300',
  WARN: 'text-amber-800 dark:text-amber-300',
};

/** The filters of Log entries, as the address bar holds them. */
const LogEntryFiltersSchema = LogEntriesQuerySchema.pick({ level: true, logger: true, q: true, node: true });

/**
 * The authentication log lines the engine wrote, newest first: every node's, merged by time, or one
 * node's; filters in the address bar. A node that is down is named (its lines end when it stopped).
 */
export function LogEntriesTab() {
  const [filters, update] = useUrlState(LogEntryFiltersSchema);
  const entries = useInfiniteQuery(logEntriesQueryOptions(filters));
  const cluster = useQuery(loggersQueryOptions).data;
  const nodes = cluster?.nodes ?? [];
  const downShown = nodes.filter((n) => n.state === 'down' && (!filters.node || filters.node === n.id));
  // The boxes show a change at once; the address bar follows.
  const [levels, setLevels] = useMirror(filters.level);
  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  const table = useRef<HTMLTableElement>(null);
  /** Set while an older page the user asked for loads: whether entries were shown when they asked. */
  const loading = useRef<{ hadRows: boolean } | null>(null);
  const loadOlder = () => {
    loading.current = { hadRows: rows.length > 0 };
    void entries.fetchNextPage();
  };
  // When the button that asked for it has gone (nothing older, or the first matches replaced the "No
  // matches yet" notice), the keyboard goes to the entries rather than back to the top of the page.
  useEffect(() => {
    if (!loading.current || entries.isFetchingNextPage) return;
    const { hadRows } = loading.current;
    loading.current = null;
    if (rows.length > 0 && (!hadRows || !entries.hasNextPage)) table.current?.focus();
  });

  return (
    <div className="space-y-4">
      <div className={`${CARD_CLASS} flex flex-wrap items-end gap-4 p-4`}>
        <fieldset>
          <legend className="text-sm font-medium">Level</legend>
          <div className="mt-1 flex flex-wrap gap-3 text-sm">
            {ENTRY_LEVELS.map((level) => (
              <label key={level} className="flex items-center gap-1.5">
                <input
                  type="checkbox"
                  checked={levels.includes(level)}
                  onChange={(e) => {
                    const chosen = e.target.checked ? [...levels, level] : levels.filter((l) => l !== level);
                    setLevels(chosen);
                    update({ level: chosen });
                  }}
                />
                {level}
              </label>
            ))}
          </div>
        </fieldset>
        <FilterField
          id="entries-logger"
          label="Logger"
          placeholder="Logger or package"
          value={filters.logger}
          onChange={(logger, options) => update({ logger }, options)}
        />
        <FilterField
          id="entries-q"
          label="Text"
          placeholder="Search messages"
          value={filters.q}
          onChange={(q, options) => update({ q }, options)}
        />
        {nodes.length > 1 && (
          <div>
            <label htmlFor="entries-node" className="block text-sm font-medium">
              Node
            </label>
            <select
              id="entries-node"
              className={`mt-1 ${INPUT_CLASS}`}
              value={filters.node ?? ''}
              onChange={(e) => update({ node: e.target.value || undefined })}
            >
              <option value="">All nodes</option>
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {nodeLabel(n, cluster?.thisNode ?? '')}
                </option>
              ))}
            </select>
          </div>
        )}
        <Button onClick={() => void entries.refetch()}>Refresh</Button>
      </div>

      {downShown.map((n) => (
        <Notice key={n.id} title={`${n.id} is down`}>
          {n.lastSeenAt
            ? `Last seen ${formatDateTime(n.lastSeenAt, undefined, true)}: its entries end there.`
            : 'It has not been seen since the cluster started.'}
        </Notice>
      ))}

      {entries.isPending ? (
        <LoadingState label="Loading log entries…" />
      ) : entries.isError ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : rows.length === 0 && entries.hasNextPage ? (
        // The real server reads its log file a part at a time: a search can end a page before it
        // finds anything, and go on from there.
        <Notice title="No matches yet">
          <p>
            No line matches among the newest entries searched so far. The log is searched a part at a time.
          </p>
          <Button className="mt-2" onClick={loadOlder} disabled={entries.isFetchingNextPage}>
            {entries.isFetchingNextPage ? 'Searching…' : 'Search older entries'}
          </Button>
        </Notice>
      ) : rows.length === 0 ? (
        <Notice title="No log entries match">
          Lines are written only while their logger's level allows them: set de.resolution.apitokenauth to
          INFO on the Log levels tab to see the authentication lines.
        </Notice>
      ) : (
        <>
          <div className={`${CARD_CLASS} relative overflow-x-auto`}>
            <table ref={table} tabIndex={-1} className="w-full text-left text-sm">
              <caption className="sr-only">Log entries</caption>
              <thead className={TABLE_HEAD_CLASS}>
                <tr>
                  <HeaderCell>Time</HeaderCell>
                  <HeaderCell>Level</HeaderCell>
                  <HeaderCell>Logger</HeaderCell>
                  <HeaderCell>Node</HeaderCell>
                  <HeaderCell>Message</HeaderCell>
                </tr>
              </thead>
              <tbody>
                {rows.map((entry) => (
                  <tr
                    key={entry.id}
                    className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
                  >
                    <td className="px-3 py-2 whitespace-nowrap tabular-nums">
                      {formatDateTime(entry.timestamp, undefined, true)}
                    </td>
                    <td className={`px-3 py-2 font-medium ${LEVEL_TONE[entry.level] ?? ''}`}>
                      {entry.level}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs" title={entry.logger}>
                      {entry.logger.replace('de.resolution.apitokenauth', 'd.r.apitokenauth')}
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">{entry.node}</td>
                    <td className="px-3 py-2">
                      <div className="font-mono text-xs break-words">{entry.message}</div>
                      <div className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
                        {entry.thread} · {entry.username} · {entry.clientIp} · {entry.url}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {entries.hasNextPage && (
            <Button onClick={loadOlder} disabled={entries.isFetchingNextPage}>
              {entries.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
            </Button>
          )}
        </>
      )}
    </div>
  );
}
