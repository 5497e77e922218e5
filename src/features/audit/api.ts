import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { AuditRecordSchema } from '@contract/audit';
import {
  AuditExportQuerySchema,
  AuditRecordsPageSchema,
  AuditRecordsQuerySchema,
  type AuditFilter,
  type AuditRecordsPage,
} from '@contract/audit-query';
import { urlParams } from '@contract/url-params';
import { apiJson, apiRequest } from '@/lib/api-client';
import {
  bucketTotal,
  chooseBucket,
  HistogramQuerySchema,
  HistogramSchema,
  type BucketUnit,
} from '@contract/histogram';
import { QUERY_ROOTS } from '@/lib/query-keys';
import { BROWSER_TIME_ZONE } from '@/lib/time';
import { listKey, viewToFilter, type AuditView } from '@/lib/audit-view';

export const PAGE_SIZE = 200;

export const auditKeys = {
  all: QUERY_ROOTS.audit,
  records: (view: AuditView) => [...QUERY_ROOTS.audit, 'records', listKey(view)] as const,
  newRecords: (view: AuditView, newestId: string | undefined) =>
    [...QUERY_ROOTS.audit, 'new', listKey(view), newestId] as const,
  record: (id: string) => [...QUERY_ROOTS.audit, 'record', id] as const,
  histogram: (view: AuditView) => [...QUERY_ROOTS.audit, 'histogram', listKey(view)] as const,
};

/** A page, and the filter it was read with (presets are fixed to instants on the first page). */
type LoadedPage = AuditRecordsPage & { filter: AuditFilter };

export const auditRecordsQueryOptions = (view: AuditView) =>
  infiniteQueryOptions({
    queryKey: auditKeys.records(view),
    initialPageParam: null as { filter: AuditFilter; cursor: string } | null,
    queryFn: async ({ pageParam, signal }): Promise<LoadedPage> => {
      const filter = pageParam?.filter ?? viewToFilter(view, new Date());
      const params = urlParams(AuditRecordsQuerySchema, {
        ...filter,
        cursor: pageParam?.cursor,
        limit: PAGE_SIZE,
      });
      const page = await apiJson(`/audit/records?${params}`, AuditRecordsPageSchema, { signal });
      return { ...page, filter };
    },
    getNextPageParam: (last) => (last.nextCursor ? { filter: last.filter, cursor: last.nextCursor } : null),
    // The live banner tells about new records; the list itself never changes under the reader.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

/** How many records newer than `newestId` match the filter (at most 1000: "1000+"). */
export const newRecordsQueryOptions = (
  view: AuditView,
  filter: AuditFilter | undefined,
  newestId: string | undefined,
  paused: boolean,
) =>
  queryOptions({
    queryKey: auditKeys.newRecords(view, newestId),
    queryFn: async ({ signal }) => {
      const params = urlParams(AuditRecordsQuerySchema, { ...filter, after: newestId, limit: 1000 });
      const page = await apiJson(`/audit/records?${params}`, AuditRecordsPageSchema, { signal });
      return page.records.length;
    },
    enabled: !paused && filter !== undefined && newestId !== undefined,
    refetchInterval: 5_000,
    refetchIntervalInBackground: false,
  });

export const auditRecordQueryOptions = (id: string) =>
  queryOptions({
    queryKey: auditKeys.record(id),
    queryFn: ({ signal }) =>
      apiJson(`/audit/records/${encodeURIComponent(id)}`, AuditRecordSchema, { signal }),
    staleTime: Infinity,
  });

/** Starts a streamed export of exactly the filtered set. */
export function startExport(
  filter: AuditFilter,
  format: 'csv' | 'jsonl',
  signal: AbortSignal,
): Promise<Response> {
  const params = urlParams(AuditExportQuerySchema, { ...filter, format });
  return apiRequest(`/audit/export?${params}`, {
    signal,
    timeoutMs: 60 * 60_000,
    headers: { accept: '*/*' },
  });
}

/**
 * The timeline of exactly the listed records: counts per bucket and outcome, from the backend. Without
 * a time filter ("Any time") it spans from the first bucket that holds a record to now, at the
 * resolution that span needs: a fresh server's few minutes of records are drawn per minute, not as one
 * bar at the edge of 90 days (each pass looks closer, at most day, hour and minute).
 */
export const histogramQueryOptions = (view: AuditView) =>
  queryOptions({
    queryKey: auditKeys.histogram(view),
    queryFn: async ({ signal }) => {
      const now = new Date();
      const filter = viewToFilter(view, now);
      const to = filter.to ? Date.parse(filter.to) : now.getTime();
      const tz = view.tz === 'utc' ? 'UTC' : BROWSER_TIME_ZONE;
      /** From `from`, or (undefined) from the start of the retention period, which the backend knows. */
      const read = (from: number | undefined, bucket: BucketUnit) => {
        const range = {
          from: from === undefined ? undefined : new Date(from).toISOString(),
          to: new Date(to).toISOString(),
        };
        const params = urlParams(HistogramQuerySchema, { ...filter, ...range, bucket, tz });
        return apiJson(`/audit/histogram?${params}`, HistogramSchema, { signal });
      };
      if (filter.from) {
        const from = Date.parse(filter.from);
        return read(from, chooseBucket(from, to));
      }
      let histogram = await read(undefined, 'day');
      for (;;) {
        const first = histogram.buckets.findIndex((b) => bucketTotal(b) > 0);
        if (first <= 0) return histogram;
        const start = Date.parse(histogram.buckets[first]!.start);
        const bucket = chooseBucket(start, to);
        if (bucket === histogram.bucket)
          return {
            ...histogram,
            from: new Date(start).toISOString(),
            buckets: histogram.buckets.slice(first),
          };
        histogram = await read(start, bucket);
      }
    },
    staleTime: Infinity,
  });
