import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { credentialLabel, FAILURE_REASONS, furtherAttemptsText, type AuditRecord } from '@contract/audit';
import { SCOPE_LABELS } from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { ApiError } from '@/lib/api-error';
import { auditRecordQueryOptions } from './api';
import { authorLabel, formatTimestamp } from './format';

/**
 * The record's fields: from 1280 px in a column beside the list (which keeps its scroll position and
 * shows the columns that fit), below in a panel over the right of the page (on a phone, the screen).
 */
export function AuditDetails({
  id,
  zone,
  onClose,
}: {
  id: string;
  zone: 'utc' | 'local';
  onClose: () => void;
}) {
  const record = useQuery(auditRecordQueryOptions(id));
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [id]);
  const missing = record.error instanceof ApiError && record.error.status === 404;

  return (
    <aside
      aria-labelledby="audit-details-title"
      className="fixed inset-0 z-40 flex flex-col bg-white shadow-2xl sm:left-auto sm:w-[32rem] sm:border-l sm:border-slate-300 xl:sticky xl:top-4 xl:z-auto xl:h-[calc(100dvh-2rem)] xl:w-auto xl:rounded-lg xl:border xl:shadow-none dark:bg-slate-900 sm:dark:border-slate-700"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="flex items-start justify-between gap-2 border-b border-slate-200 p-4 dark:border-slate-800">
        <div className="min-w-0 space-y-2">
          <h2
            id="audit-details-title"
            ref={headingRef}
            tabIndex={-1}
            className="text-lg font-semibold break-words outline-none"
          >
            {/* The id on a line of its own when both do not fit, not broken at its hyphen. */}
            Audit record <span className="inline-block break-all">{id}</span>
          </h2>
          {record.isSuccess && <CopyLink id={id} zone={zone} />}
        </div>
        <Button onClick={onClose} aria-label="Close details">
          Close
        </Button>
      </div>
      {/* Scrolls on its own: focusable, so that the keyboard can scroll it too. */}
      <div tabIndex={0} className="flex-1 overflow-y-auto p-4">
        {record.isPending ? (
          <LoadingState label="Loading the record…" />
        ) : missing ? (
          <Notice tone="warning" title="No such audit record" alert>
            There is no audit record {id}: the link may be mistyped, or the record has passed the retention
            period and was deleted.
          </Notice>
        ) : record.isError ? (
          <ErrorState error={record.error} onRetry={() => void record.refetch()} />
        ) : (
          <RecordFields record={record.data} zone={zone} />
        )}
      </div>
    </aside>
  );
}

/** Copies the link that opens this record (in the zone shown), and says so. */
function CopyLink({ id, zone }: { id: string; zone: 'utc' | 'local' }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const link = `${window.location.origin}/audit?record=${encodeURIComponent(id)}${zone === 'utc' ? '&tz=utc' : ''}`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        onClick={() =>
          void navigator.clipboard.writeText(link).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        Copy link
      </Button>
      <span role="status" className="text-xs">
        {copied === true && 'Link copied.'}
        {copied === false && 'Could not copy the link.'}
      </span>
    </div>
  );
}

/** Label and value pairs; a row without a value is left out (a record shows the fields it has). */
function Fields({ rows }: { rows: [label: string, value: ReactNode][] }) {
  const present = rows.filter(
    ([, value]) => value !== undefined && value !== null && value !== '' && value !== false,
  );
  if (present.length === 0) return null;
  return (
    <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-x-3 gap-y-1">
      {present.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-slate-700 dark:text-slate-300">{label}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h3 className="mb-1 font-semibold">{title}</h3>
      {children}
    </section>
  );
}

const mono = (text: string | undefined) => text && <span className="font-mono">{text}</span>;

function RecordFields({ record, zone }: { record: AuditRecord; zone: 'utc' | 'local' }) {
  const { details, source } = record;
  const bearerWithoutUser =
    !details.username && record.summary === 'Failed API token bearer authentication attempt';
  const detailRows: [string, ReactNode][] = [
    ['Token ID', mono(details.tokenId)],
    ['Token description', details.tokenDescription],
    ['Scope', details.scope && SCOPE_LABELS[details.scope]],
    [
      'Username',
      details.username ?? (bearerWithoutUser ? 'Unknown (a failed bearer attempt names no user)' : null),
    ],
    ['REST endpoint', mono(details.endpoint)],
    ['Reason of failure', details.reason && FAILURE_REASONS[details.reason]],
    ['Credential', details.credential && credentialLabel(details.credential)],
    [
      'Further attempts',
      details.furtherAttempts &&
        furtherAttemptsText(details.furtherAttempts, (iso) => formatTimestamp(iso, zone)),
    ],
  ];
  const hasDetails = detailRows.some(([, value]) => Boolean(value));
  return (
    <div className="space-y-5 text-sm">
      <Fields
        rows={[
          ['Time', formatTimestamp(record.timestamp, zone)],
          ['Event', record.summary],
          ['Category', record.category],
          ['Author', authorLabel(record)],
          [
            'Affected objects',
            record.affectedObjects.length > 0 && (
              <ul>
                {record.affectedObjects.map((o) => (
                  <li key={`${o.type}:${o.id}`}>
                    {o.type}: {o.name} <span className="font-mono text-xs">({o.id})</span>
                  </li>
                ))}
              </ul>
            ),
          ],
        ]}
      />

      {record.changedValues.length > 0 && (
        <Part title="Changed values">
          <ul className="space-y-0.5">
            {record.changedValues.map((v) => (
              <li key={v.field}>
                {v.field}: <span className="line-through decoration-1">{v.from ?? '(none)'}</span> →{' '}
                <strong>{v.to ?? '(none)'}</strong>
              </li>
            ))}
          </ul>
        </Part>
      )}

      <Part title="Source">
        <Fields
          rows={[
            ['Client IP address', mono(source.clientIp ?? undefined)],
            ['Load balancer/proxy IP address', mono(source.proxyIp ?? undefined)],
            ['Node', source.nodeId],
            ['Method', source.method],
          ]}
        />
        {source.proxyIp && (
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">
            Confluence shows these two addresses the other way round (the client address in the load
            balancer/proxy field): in records that came from Confluence, read them swapped.
          </p>
        )}
      </Part>

      {hasDetails && (
        <Part title="Details">
          <Fields rows={detailRows} />
        </Part>
      )}

      <Part title="Raw JSON">
        <pre className="rounded bg-slate-100 p-2 text-xs break-all whitespace-pre-wrap dark:bg-slate-800">
          {JSON.stringify(record, null, 2)}
        </pre>
      </Part>
    </div>
  );
}
