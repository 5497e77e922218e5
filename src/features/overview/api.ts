import { queryOptions } from '@tanstack/react-query';
import { OverviewSchema } from '@contract/overview';
import { apiJson } from '@/lib/api-client';
import { QUERY_ROOTS } from '@/lib/query-keys';
import { BROWSER_TIME_ZONE } from '@/lib/time';

export const overviewKeys = { all: QUERY_ROOTS.overview };

/** The Overview's figures, counted by the backend in the browser's time zone; refreshed every minute. */
export const overviewQueryOptions = queryOptions({
  queryKey: overviewKeys.all,
  queryFn: ({ signal }) =>
    apiJson(`/overview?tz=${encodeURIComponent(BROWSER_TIME_ZONE)}`, OverviewSchema, { signal }),
  refetchInterval: 60_000,
});
