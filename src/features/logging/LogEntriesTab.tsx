import { useEffect, useRef, useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { formatLogLine } from '@contract/log-line';
import {
  APP_LOGGERS,
  levelAllows,
  LOG_LEVELS,
  LogEntriesQuerySchema,
  type LogLevel,
} from '@contract/logging';
import { Button } from '@/components/ui/Button';
import { FilterField } from '@/components/ui/FilterField';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { formatDateTime } from '@/lib/time';
import { useMirror } from '@/lib/use-mirror';
import { useUrlState } from '@/lib/use-url-state';
import { INPUT_CLASS } from '@/components/ui/Field';
import { ApiError } from '@/lib/api-error';
import { saveFile } from '@/lib/save-file';
import {
  loggersQueryOptions,
  logEntriesQueryOptions,
  MAX_DOWNLOAD_LINES,
  readAllEntries,
  type LogEntryFilters,
} from './api';
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

/** Logger and node get columns from md; on a phone they join the line under the message. */
const FROM_MD = 'hidden md:table-cell';

/** How often "Follow" asks for new lines. */
const FOLLOW_INTERVAL_MS = 3_000;

/** "de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter" → "d.r.a.p.a.ApiTokenRateLimiter". */
const shortLogger = (name: string) =>
  name
    .split('.')
    .map((part, i, parts) => (i < parts.length - 1 ? part[0] : part))
    .join('.');

/**
 * The authentication log lines the engine wrote, newest first: every node's, merged by time, or one
 * node's; filters in the address bar. A node that is down is named (its lines end when it stopped).
 * "Follow" shows new lines as they are written (until paused), "Download" saves the filtered lines as
 * the log file has them.
 */
export function LogEntriesTab() {
  const [filters, update] = useUrlState(LogEntryFiltersSchema);
  const [following, setFollowing] = useState(false);
  const entries = useInfiniteQuery({
    ...logEntriesQueryOptions(filters),
    refetchInterval: following ? FOLLOW_INTERVAL_MS : false,
  });
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
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={() => void entries.refetch()}>Refresh</Button>
          <Button aria-pressed={following} onClick={() => setFollowing((on) => !on)}>
            {following ? 'Pause following' : 'Follow'}
          </Button>
          <DownloadButton filters={filters} />
        </div>
        <p role="status" className="basis-full text-sm text-slate-700 empty:hidden dark:text-slate-300">
          {following && 'Following: new lines appear at the top as they are written.'}
        </p>
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
        <NoEntries
          filtered={filters.level.length > 0 || Boolean(filters.logger || filters.q || filters.node)}
        />
      ) : (
        <>
          <div className={`${CARD_CLASS} relative overflow-x-auto`}>
            <table ref={table} tabIndex={-1} className="w-full text-left text-sm">
              <caption className="sr-only">Log entries</caption>
              <thead className={TABLE_HEAD_CLASS}>
                <tr>
                  <HeaderCell>Time</HeaderCell>
                  <HeaderCell>Level</HeaderCell>
                  <HeaderCell className={FROM_MD}>Logger</HeaderCell>
                  <HeaderCell className={FROM_MD}>Node</HeaderCell>
                  <HeaderCell>Message</HeaderCell>
                </tr>
              </thead>
              <tbody>
                {rows.map((entry) => (
                  <tr
                    key={entry.id}
                    className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
                  >
                    <td className="min-w-36 px-3 py-2 tabular-nums md:whitespace-nowrap">
                      {formatDateTime(entry.timestamp, undefined, true)}
                    </td>
                    <td className={`px-3 py-2 font-medium ${LEVEL_TONE[entry.level] ?? ''}`}>
                      {entry.level}
                    </td>
                    <td className={`${FROM_MD} px-3 py-2 font-mono text-xs whitespace-nowrap`}>
                      <abbr title={entry.logger} className="no-underline">
                        {shortLogger(entry.logger)}
                      </abbr>
                    </td>
                    <td className={`${FROM_MD} px-3 py-2 whitespace-nowrap`}>{entry.node}</td>
                    <td className="px-3 py-2">
                      <div className="font-mono text-xs wrap-anywhere">{entry.message}</div>
                      <div className="mt-0.5 text-xs wrap-anywhere text-slate-600 dark:text-slate-400">
                        <span className="md:hidden">
                          {shortLogger(entry.logger)} · {entry.node} ·{' '}
                        </span>
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

/**
 * Why there is nothing to show: the filters, or a level that writes no authentication lines (the hint
 * only when it is so: the app's package at INFO or finer writes them).
 */
function NoEntries({ filtered }: { filtered: boolean }) {
  const loggers = useQuery(loggersQueryOptions);
  const app = loggers.data?.loggers.find((l) => l.name === APP_LOGGERS.app);
  const silent = app?.nodes.some((n) => !levelAllows(n.effectiveLevel, 'INFO')) ?? false;
  const hint = silent && (
    <p>
      Lines are written only while their logger's level allows them: set {APP_LOGGERS.app} to INFO on the Log
      levels tab to see the authentication lines.
    </p>
  );
  return filtered ? (
    <Notice title="No log entries match these filters">
      <p>Change or clear a filter.</p>
      {hint}
    </Notice>
  ) : (
    <Notice title="No log entries yet">
      {hint || <p>Lines appear here as requests are authenticated.</p>}
    </Notice>
  );
}

type DownloadState =
  | { phase: 'idle'; note?: string }
  | { phase: 'running'; lines: number }
  | { phase: 'failed'; message: string };

/**
 * Saves the lines that match the filters (not only those loaded; the newest MAX_DOWNLOAD_LINES of
 * them), in the log file's format. A download under way can be cancelled.
 */
function DownloadButton({ filters }: { filters: LogEntryFilters }) {
  const [state, setState] = useState<DownloadState>({ phase: 'idle' });
  const running = useRef<AbortController | null>(null);
  // Leaving the tab cancels a download under way.
  useEffect(() => () => running.current?.abort(), []);
  const download = async () => {
    const controller = new AbortController();
    running.current = controller;
    setState({ phase: 'running', lines: 0 });
    try {
      const { entries, complete } = await readAllEntries(
        filters,
        (lines) => setState({ phase: 'running', lines }),
        controller.signal,
      );
      const text = entries.map((e) => `${formatLogLine(e)}\n`).join('');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      saveFile(new Blob([text], { type: 'text/plain;charset=utf-8' }), `log-entries-${stamp}.log`);
      setState({
        phase: 'idle',
        note: complete
          ? undefined
          : `Saved the newest ${MAX_DOWNLOAD_LINES.toLocaleString()} lines. Narrow the filters to download older ones.`,
      });
    } catch (error) {
      if (controller.signal.aborted) setState({ phase: 'idle', note: 'Download cancelled.' });
      else
        setState({
          phase: 'failed',
          message: error instanceof ApiError ? error.message : 'The download stopped.',
        });
    } finally {
      running.current = null;
    }
  };
  return (
    <>
      {state.phase === 'running' ? (
        <Button onClick={() => running.current?.abort()}>Cancel download</Button>
      ) : (
        <Button onClick={() => void download()}>Download</Button>
      )}
      <span role="status" className="text-sm">
        {state.phase === 'running' && `Reading… ${state.lines.toLocaleString()} lines`}
        {state.phase === 'idle' && state.note}
        {state.phase === 'failed' && (
          <span className="text-red-700 dark:text-red-400">Not downloaded: {state.message}</span>
        )}
      </span>
    </>
  );
}
