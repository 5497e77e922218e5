import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  LogEntriesPageSchema,
  LogEntriesQuerySchema,
  LoggersResponseSchema,
  type LogEntriesQuery,
  type LogEntry,
  type SetLevelRequest,
} from '@contract/logging';
import { urlParams } from '@contract/url-params';
import { apiJson } from '@/lib/api-client';
import { QUERY_ROOTS } from '@/lib/query-keys';

export const loggingKeys = {
  all: QUERY_ROOTS.logging,
  loggers: [...QUERY_ROOTS.logging, 'loggers'] as const,
  entries: (filters: LogEntryFilters) => [...QUERY_ROOTS.logging, 'entries', filters] as const,
};

export const loggersQueryOptions = queryOptions({
  queryKey: loggingKeys.loggers,
  queryFn: ({ signal }) => apiJson('/logging/loggers', LoggersResponseSchema, { signal }),
});

export type LogEntryFilters = Pick<LogEntriesQuery, 'level' | 'logger' | 'q' | 'node'>;

export const logEntriesQueryOptions = (filters: LogEntryFilters) =>
  infiniteQueryOptions({
    queryKey: loggingKeys.entries(filters),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const params = urlParams(LogEntriesQuerySchema, {
        ...filters,
        cursor: pageParam ?? undefined,
        limit: 100,
      });
      return apiJson(`/logging/entries?${params}`, LogEntriesPageSchema, { signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });

/** The most lines one download holds, the newest: the browser keeps them in memory until it saves them. */
export const MAX_DOWNLOAD_LINES = 100_000;

/**
 * The entries that match the filters, newest first, page by page (the real server reads its file a
 * part at a time), up to `maxLines`; `onProgress` hears how many are read so far, `signal` cancels.
 * `complete` is false when older entries were left out.
 */
export async function readAllEntries(
  filters: LogEntryFilters,
  onProgress: (entries: number) => void,
  signal?: AbortSignal,
  maxLines = MAX_DOWNLOAD_LINES,
): Promise<{ entries: LogEntry[]; complete: boolean }> {
  const entries: LogEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const limit = Math.min(500, maxLines - entries.length);
    const params = urlParams(LogEntriesQuerySchema, { ...filters, cursor, limit });
    const page = await apiJson(`/logging/entries?${params}`, LogEntriesPageSchema, { signal });
    entries.push(...page.entries);
    onProgress(entries.length);
    if (page.nextCursor === null) return { entries, complete: true };
    if (entries.length >= maxLines) return { entries, complete: false };
    cursor = page.nextCursor;
  }
}

function useLoggerMutation<V>(request: (variables: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: (data) => {
      queryClient.setQueryData(loggersQueryOptions.queryKey, LoggersResponseSchema.parse(data));
      // Every level change writes an audit record.
      void queryClient.invalidateQueries({ queryKey: QUERY_ROOTS.audit });
    },
    meta: { handlesErrors: true },
  });
}

export function useSetLevel() {
  return useLoggerMutation(({ name, ...body }: SetLevelRequest & { name: string }) =>
    apiJson(`/logging/loggers/${encodeURIComponent(name)}`, LoggersResponseSchema, { method: 'PUT', body }),
  );
}

export function useResetLevel() {
  return useLoggerMutation((name: string) =>
    apiJson(`/logging/loggers/${encodeURIComponent(name)}`, LoggersResponseSchema, { method: 'DELETE' }),
  );
}
