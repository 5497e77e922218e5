import { Hono } from 'hono';
import type { AuditRecord } from '../../contract/audit';
import { bucketStarts } from '../../contract/histogram';
import {
  AUDIT_LOGGING_FIELDS,
  FAILED_EVENTS,
  OverviewQuerySchema,
  UNUSED_STATUSES,
  type Overview,
} from '../../contract/overview';
import { TokenListQuerySchema, type TokenListQuery } from '../../contract/tokens';
import { requirePermission, type AppEnv } from '../http/context';
import type { Store } from '../store/port';
import { parseQuery } from '../http/problem';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The Overview page: token health, failed attempts, the busiest sources, and what is audited. */
export const overviewRoutes = new Hono<AppEnv>().get('/overview', async (c) => {
  await requirePermission(c, 'audit:read');
  const { tz } = parseQuery(c.req.url, OverviewQuerySchema, 'Not a valid time zone.');
  const { store, now: clock } = c.get('deps');
  const now = clock();
  const settings = await store.getSettings();
  const { expiryWarningDays } = settings.authentication.tokenPolicy;

  const countTokens = async (query: Partial<TokenListQuery>) =>
    (
      await store.listTokens({
        ...TokenListQuerySchema.parse({ pageSize: 1 }),
        ...query,
        now,
        expiryWarningDays,
      })
    ).total;
  const iso = (ms: number) => new Date(ms).toISOString();
  const nowMs = now.getTime();
  const failed = { summary: [...FAILED_EVENTS] };
  const dayAgo = iso(nowMs - DAY);
  const [previous, last] = await store.auditHistogram(
    { ...failed, from: iso(nowMs - 2 * DAY), to: iso(nowMs) },
    [nowMs - 2 * DAY, nowMs - DAY],
  );
  const week = bucketStarts(nowMs - 6 * DAY, nowMs, 'day', tz);
  const daily = await store.auditHistogram({ ...failed, from: iso(week[0]!), to: iso(nowMs) }, week);
  const denied = await store.auditHistogram(
    { summary: ['Permission denied'], from: dayAgo, to: iso(nowMs) },
    [nowMs - DAY],
  );

  const sum = (counts: { failed: number; success: number; denied: number; changes: number } | undefined) =>
    counts ? counts.failed + counts.success + counts.denied + counts.changes : 0;
  const body: Overview = {
    generatedAt: now.toISOString(),
    tokens: {
      active: await countTokens({ status: ['active'] }),
      expiring: await countTokens({ status: ['expiring'] }),
      expired: await countTokens({ status: ['expired'] }),
      neverUsed: await countTokens({ neverUsed: true }),
      // Expired tokens are counted as expired, not as unused: the Token Manager link lists the same set.
      unused90Days: await countTokens({ status: [...UNUSED_STATUSES], lastUsedTo: iso(nowMs - 90 * DAY) }),
      expiryWarningDays,
    },
    failedAttempts: { last24h: sum(last), previous24h: sum(previous) },
    permissionDenied24h: sum(denied[0]),
    topFailedIps: await store.auditTopValues({ ...failed, from: dayAgo }, 'clientIp', 5),
    topFailedUsers: await store.auditTopValues({ ...failed, from: dayAgo }, 'username', 5),
    auditLogging: settings.auditLogging,
    auditLoggingChange: await lastAuditLoggingChange(store),
    gates: {
      basicPasswordsAllowed: !settings.authentication.disableBasicAuthWithPasswords,
      bearerOthersAllowed: !settings.authentication.disableBearerWithOtherAuthenticators,
    },
    failedDaily: week.map((start, i) => ({ start: iso(start), count: sum(daily[i]) })),
  };
  return c.json(body);
});

/**
 * The newest "Settings changed" record that changed what is audit-logged (an option or a switch the
 * failed-attempt options depend on), or null once retention has purged it. Settings changes are few:
 * paging through them costs little.
 */
async function lastAuditLoggingChange(store: Store): Promise<Overview['auditLoggingChange']> {
  const changesLogging = (r: AuditRecord) =>
    r.changedValues.some((v) => AUDIT_LOGGING_FIELDS.includes(v.field));
  let cursor: string | undefined;
  for (;;) {
    const page = await store.listAuditRecords({ summary: ['Settings changed'], cursor, limit: 100 });
    const found = page.items.find(changesLogging);
    if (found)
      return {
        recordId: found.id,
        at: found.timestamp,
        by: found.author.username ?? found.author.displayName,
      };
    if (page.nextCursor === null) return null;
    cursor = page.nextCursor;
  }
}
