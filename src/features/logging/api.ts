import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  LogEntriesPageSchema,
  LogEntriesQuerySchema,
  LoggersResponseSchema,
  type LogEntriesQuery,
  type SetLevelRequest,
} from '@contract/logging';
import { urlParams } from '@contract/url-params';
import { apiJson } from '@/lib/api-client';

export const loggersQueryOptions = queryOptions({
  queryKey: ['logging', 'loggers'],
  queryFn: ({ signal }) => apiJson('/logging/loggers', LoggersResponseSchema, { signal }),
});

export type LogEntryFilters = Pick<LogEntriesQuery, 'level' | 'logger' | 'q'>;

export const logEntriesQueryOptions = (filters: LogEntryFilters) =>
  infiniteQueryOptions({
    queryKey: ['logging', 'entries', filters],
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

function useLoggerMutation<V>(request: (variables: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: (data) => {
      queryClient.setQueryData(loggersQueryOptions.queryKey, LoggersResponseSchema.parse(data));
      // Every level change writes an audit record.
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
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
