import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { AUDIT_OPTIONS } from '@contract/audit-options';
import { FAILED_EVENTS, UNUSED_STATUSES, type Overview } from '@contract/overview';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { PageHeader } from '@/components/ui/PageHeader';
import { useAuthorization } from '@/lib/auth';
import { OUTCOME_COLOURS } from '@/components/outcome-colours';
import { urlParams } from '@contract/url-params';
import { AuditViewSchema, type AuditView } from '@/lib/audit-view';
import { formatDateTime, formatDayMonth } from '@/lib/time';
import { overviewQueryOptions } from './api';
import { CARD_CLASS } from '@/components/ui/Card';
import { TextLink } from '@/components/ui/TextLink';

const auditLink = (view: Partial<AuditView>) => `/audit?${urlParams(AuditViewSchema, view)}`;
const FAILED = [...FAILED_EVENTS];

function Card({
  title,
  value,
  detail,
  to,
}: {
  title: string;
  value: ReactNode;
  detail?: ReactNode;
  to?: string;
}) {
  const body = (
    <>
      <span className="block text-sm font-medium text-slate-700 dark:text-slate-300">{title}</span>
      <span className="mt-1 block text-3xl font-semibold tabular-nums">{value}</span>
      {detail && <span className="mt-1 block text-sm text-slate-700 dark:text-slate-300">{detail}</span>}
    </>
  );
  const box = `block p-4 ${CARD_CLASS}`;
  return to ? (
    <Link to={to} className={`${box} hover:border-blue-400 hover:shadow`}>
      {body}
    </Link>
  ) : (
    <div className={box}>{body}</div>
  );
}

/** The landing page of administrators and auditors: each figure links to the list behind it. */
export function OverviewPage() {
  const overview = useQuery(overviewQueryOptions);
  const canSeeAllTokens = useAuthorization().can('tokens:manage');
  return (
    <>
      <PageHeader
        title="Overview"
        description="Token health, failed attempts and what the audit log records, at a glance."
      />
      {overview.isPending ? (
        <LoadingState label="Loading the overview…" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <OverviewBody data={overview.data} tokensLink={canSeeAllTokens} />
      )}
    </>
  );
}

function OverviewBody({ data, tokensLink }: { data: Overview; tokensLink: boolean }) {
  const { tokens, failedAttempts } = data;
  const change = failedAttempts.last24h - failedAttempts.previous24h;
  const trend =
    change === 0
      ? 'the same as the 24 hours before'
      : `${Math.abs(change)} ${change > 0 ? 'more' : 'fewer'} than the 24 hours before (${failedAttempts.previous24h})`;
  const tokenList = (query: string) => (tokensLink ? `/tokens/manage?${query}` : undefined);
  const ninetyDaysAgo = new Date(Date.parse(data.generatedAt) - 90 * 86_400_000).toISOString();

  return (
    <div className="space-y-8">
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="mb-3 text-lg font-semibold">
          API tokens
        </h2>
        {!tokensLink && (
          <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
            Only administrators who manage tokens can open these lists.
          </p>
        )}
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <Card title="Active" value={tokens.active} to={tokenList('status=active')} />
          <Card
            title="Expiring soon"
            value={tokens.expiring}
            detail={`Within ${tokens.expiryWarningDays} days`}
            to={tokenList('status=expiring&sort=expiresAt&order=asc')}
          />
          <Card title="Expired" value={tokens.expired} to={tokenList('status=expired')} />
          <Card title="Never used" value={tokens.neverUsed} to={tokenList('neverUsed=true')} />
          <Card
            title="Unused for 90 days"
            value={tokens.unused90Days}
            detail="Not expired"
            to={tokenList(
              `${UNUSED_STATUSES.map((s) => `status=${s}`).join('&')}&lastUsedTo=${encodeURIComponent(ninetyDaysAgo)}&sort=lastUsedAt&order=asc`,
            )}
          />
        </div>
      </section>

      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading" className="mb-3 text-lg font-semibold">
          Authentication, last 24 hours
        </h2>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Card
            title="Failed authentication attempts"
            value={failedAttempts.last24h}
            detail={trend}
            to={auditLink({ range: '24h', event: FAILED })}
          />
          <Card
            title="Permission denied"
            value={data.permissionDenied24h}
            to={auditLink({ range: '24h', event: ['Permission denied'] })}
          />
          <TopList
            title="Top source IPs of failed attempts"
            items={data.topFailedIps}
            link={(ip) => auditLink({ range: '24h', event: FAILED, ip })}
          />
          <TopList
            title="Top users by failed attempts"
            items={data.topFailedUsers}
            link={(username) => auditLink({ range: '24h', event: FAILED, username })}
          />
        </div>
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
          Counted from the audit log: only the attempts it records (see “What is audit-logged” below,{' '}
          <AuditLoggingChange change={data.auditLoggingChange} />
          ).
        </p>
        <FailedWeek days={data.failedDaily} />
      </section>

      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading" className="mb-3 text-lg font-semibold">
          What is audit-logged
        </h2>
        <div className={`${CARD_CLASS} p-4 text-sm`}>
          <ul className="space-y-1">
            <li>
              {data.gates.basicPasswordsAllowed
                ? 'Basic authentication with regular passwords is allowed: failed basic attempts are not audit-logged.'
                : 'Basic authentication with regular passwords is disabled: only API tokens authenticate Basic requests.'}
            </li>
            <li>
              {data.gates.bearerOthersAllowed
                ? 'Bearer authentication with other authenticators is allowed: failed bearer attempts are not audit-logged.'
                : 'Bearer authentication with other authenticators is disabled: only API tokens authenticate Bearer requests.'}
            </li>
          </ul>
          <ul className="mt-3 grid gap-1 sm:grid-cols-2" aria-label="Audit options">
            {AUDIT_OPTIONS.map((o) => (
              <li key={o.key}>
                <span
                  className={
                    data.auditLogging[o.key]
                      ? 'font-medium text-green-800 dark:text-green-300'
                      : 'text-slate-700 dark:text-slate-300'
                  }
                >
                  {data.auditLogging[o.key] ? 'On' : 'Off'}
                </span>{' '}
                — {o.label}
              </li>
            ))}
          </ul>
          <p className="mt-3">
            <AuditLoggingChange change={data.auditLoggingChange} capital />.{' '}
            <TextLink to="/settings/audit-logging">Audit Logging settings</TextLink>
          </p>
        </div>
      </section>
    </div>
  );
}

/** When what is audit-logged last changed, linked to the record of that change. */
function AuditLoggingChange({
  change,
  capital = false,
}: {
  change: Overview['auditLoggingChange'];
  capital?: boolean;
}) {
  const text = capital ? 'Last changed' : 'last changed';
  if (!change) return <>{text} before the records kept</>;
  return (
    <>
      {text}{' '}
      <TextLink to={auditLink({ record: change.recordId })}>
        {formatDateTime(change.at)} by {change.by}
      </TextLink>
    </>
  );
}

function TopList({
  title,
  items,
  link,
}: {
  title: string;
  items: { value: string; count: number }[];
  link: (value: string) => string;
}) {
  return (
    <div className={`${CARD_CLASS} p-4`}>
      <h3 className="text-sm font-medium text-slate-700 dark:text-slate-300">{title}</h3>
      {items.length === 0 ? (
        <p className="mt-2 text-sm">None.</p>
      ) : (
        <ol className="mt-2 space-y-1 text-sm">
          {items.map((item) => (
            <li key={item.value} className="flex justify-between gap-2">
              <TextLink to={link(item.value)} className="inline-block min-h-6 truncate py-0.5 font-mono">
                {item.value}
              </TextLink>
              <span className="tabular-nums">{item.count}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** Failed attempts per day for a week: bars, with the numbers as a list for screen readers. */
function FailedWeek({ days }: { days: { start: string; count: number }[] }) {
  const max = Math.max(1, ...days.map((d) => d.count));
  return (
    <figure className={`${CARD_CLASS} mt-3 p-4`}>
      <figcaption className="text-sm font-medium text-slate-700 dark:text-slate-300">
        Failed attempts, last 7 days
      </figcaption>
      <ol className="mt-2 flex h-28 items-end gap-2">
        {days.map((d) => (
          <li key={d.start} className="flex flex-1 flex-col items-center gap-1 text-xs">
            <span className="tabular-nums">{d.count}</span>
            <span
              aria-hidden="true"
              className="w-full rounded-t"
              style={{ height: `${(d.count / max) * 64}px`, background: OUTCOME_COLOURS.failed }}
            />
            <span>{formatDayMonth(d.start)}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
