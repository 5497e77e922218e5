import { Hono } from 'hono';
import { credentialLabel, furtherAttemptsText, type AuditRecord } from '../../contract/audit';
import {
  AuditExportQuerySchema,
  AuditRecordsQuerySchema,
  EXPORT_TOTAL_HEADER,
  type AuditFilter,
  type AuditRecordsPage,
} from '../../contract/audit-query';
import { csvRow } from '../../contract/csv';
import {
  bucketStarts,
  HistogramQuerySchema,
  MAX_BUCKETS,
  OUTCOMES,
  type Histogram,
} from '../../contract/histogram';
import { requirePermission, type AppContext, type AppEnv } from '../http/context';
import { HttpProblem, notFound, parseQuery } from '../http/problem';
import type { Store } from '../store/port';

const DAY_MS = 86_400_000;

/** How far the retention cut-off moves before the records behind it are deleted again. */
const PURGE_EVERY_MS = 60_000;
/** Each store's cut-off at its last purge (ms since 1970). */
const lastPurge = new WeakMap<Store, number>();

/**
 * Retention: the period set on the Audit Logging tab, and the cut-off, now minus that period. Every read leaves out
 * what is older (`notBefore`), so the boundary is exact at every request. The records behind it are
 * deleted (a write, and in a cluster a notification to every node) only when the cut-off has moved a
 * minute since this process last did it, not at every read.
 */
async function retention(c: AppContext): Promise<{ cutoff: string; periodMs: number }> {
  const { store, now } = c.get('deps');
  const periodMs = (await store.getSettings()).auditLogging.retentionDays * DAY_MS;
  const cutoffMs = now().getTime() - periodMs;
  const last = lastPurge.get(store);
  if (last === undefined || cutoffMs - last >= PURGE_EVERY_MS) {
    await store.purgeAuditRecords(new Date(cutoffMs).toISOString());
    lastPurge.set(store, cutoffMs);
  }
  return { cutoff: new Date(cutoffMs).toISOString(), periodMs };
}

/** The filter's `from`, or the retention cut-off when that is later. */
const notBefore = (from: string | undefined, cutoff: string) =>
  from !== undefined && Date.parse(from) > Date.parse(cutoff) ? from : cutoff;

export const EXPORT_COLUMNS = [
  'id',
  'timestamp',
  'category',
  'event',
  'author',
  'affected objects',
  'changed values',
  'client IP',
  'load balancer/proxy IP',
  'node',
  'method',
  'token id',
  'token description',
  'scope',
  'REST endpoint',
  'reason',
  'username',
  'credential',
  'further attempts',
] as const;

function csvLine(r: AuditRecord): string {
  return csvRow([
    r.id,
    r.timestamp,
    r.category,
    r.summary,
    r.author.username ?? r.author.displayName,
    r.affectedObjects.map((o) => `${o.type}:${o.name} (${o.id})`).join('; '),
    r.changedValues.map((v) => `${v.field}: ${v.from ?? ''} -> ${v.to ?? ''}`).join('; '),
    r.source.clientIp,
    r.source.proxyIp,
    r.source.nodeId,
    r.source.method,
    r.details.tokenId,
    r.details.tokenDescription,
    r.details.scope,
    r.details.endpoint,
    r.details.reason,
    r.details.username,
    r.details.credential && credentialLabel(r.details.credential),
    r.details.furtherAttempts && furtherAttemptsText(r.details.furtherAttempts),
  ]);
}

/** Streams every matching record page by page: constant memory, no row cap. */
function exportStream(
  store: Store,
  filter: AuditFilter,
  format: 'csv' | 'jsonl',
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started && format === 'csv') controller.enqueue(encoder.encode(csvRow(EXPORT_COLUMNS)));
      started = true;
      const page = await store.listAuditRecords({ ...filter, cursor, limit: 1000 });
      const lines = page.items.map((r) => (format === 'csv' ? csvLine(r) : `${JSON.stringify(r)}\n`));
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join('')));
      if (page.nextCursor === null) controller.close();
      else cursor = page.nextCursor;
    },
  });
}

export const auditRoutes = new Hono<AppEnv>()
  .get('/audit/records', async (c) => {
    await requirePermission(c, 'audit:read');
    const { cutoff } = await retention(c);
    const query = parseQuery(c.req.url, AuditRecordsQuerySchema);
    const { items, nextCursor } = await c
      .get('deps')
      .store.listAuditRecords({ ...query, from: notBefore(query.from, cutoff) });
    const body: AuditRecordsPage = { records: items, nextCursor };
    return c.json(body);
  })
  .get('/audit/records/:id', async (c) => {
    await requirePermission(c, 'audit:read');
    const { cutoff } = await retention(c);
    const record = await c.get('deps').store.getAuditRecord(c.req.param('id'));
    if (!record || Date.parse(record.timestamp) < Date.parse(cutoff))
      throw notFound('No audit record with this id (it may have passed the retention period).');
    return c.json(record);
  })
  .get('/audit/histogram', async (c) => {
    await requirePermission(c, 'audit:read');
    const { cutoff, periodMs } = await retention(c);
    const query = parseQuery(c.req.url, HistogramQuerySchema);
    const { bucket, tz } = query;
    const { store, now } = c.get('deps');
    // Without a time filter: everything the retention period keeps, up to now.
    const to = query.to ?? now().toISOString();
    const from = query.from ?? new Date(Date.parse(to) - periodMs).toISOString();
    const filter = { ...query, from, to };
    const starts = bucketStarts(Date.parse(from), Date.parse(to), bucket, tz);
    if (starts.length > MAX_BUCKETS) {
      throw new HttpProblem(
        400,
        'Bad Request',
        `More than ${MAX_BUCKETS} buckets: choose a larger bucket or a shorter range.`,
        {
          bucket: `Too many ${bucket}s in this range.`,
        },
      );
    }
    const counts = await store.auditHistogram({ ...filter, from: notBefore(from, cutoff) }, starts);
    const body: Histogram = {
      bucket,
      tz,
      from,
      to,
      buckets: starts.map((start, i) => ({ start: new Date(start).toISOString(), counts: counts[i]! })),
    };
    return c.json(body);
  })
  .get('/audit/export', async (c) => {
    await requirePermission(c, 'audit:read');
    const { cutoff } = await retention(c);
    const { format, ...query } = parseQuery(c.req.url, AuditExportQuerySchema);
    const { store, now } = c.get('deps');
    const at = now().toISOString();
    // The records as of now: the count the console shows progress against is of the same set.
    const filter = { ...query, from: notBefore(query.from, cutoff), to: query.to ?? at };
    const [counts] = await store.auditHistogram(filter, [filter.from ? Date.parse(filter.from) : 0]);
    const total = counts ? OUTCOMES.reduce((sum, o) => sum + counts[o], 0) : 0;
    const stamp = at.replace(/[:.]/g, '-');
    return new Response(exportStream(store, filter, format), {
      headers: {
        [EXPORT_TOTAL_HEADER]: String(total),
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="audit-log-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}"`,
        'cache-control': 'no-store',
      },
    });
  });
