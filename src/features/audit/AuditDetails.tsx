import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { credentialLabel, FAILURE_REASONS, furtherAttemptsText, type AuditRecord } from '@contract/audit';
import { SCOPE_LABELS } from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { auditRecordQueryOptions } from './api';
import { authorLabel, formatTimestamp } from './format';

/** The record's every field, beside the list (which keeps its scroll position). */
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

  return (
    <aside
      aria-labelledby="audit-details-title"
      className="fixed inset-0 z-30 flex flex-col bg-white shadow-xl lg:sticky lg:top-4 lg:z-auto lg:h-[calc(100dvh-2rem)] lg:rounded-lg lg:border lg:border-slate-300 dark:bg-slate-900 lg:dark:border-slate-700"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="flex items-center justify-between gap-2 border-b border-slate-200 p-4 dark:border-slate-800">
        <h2
          id="audit-details-title"
          ref={headingRef}
          tabIndex={-1}
          className="text-lg font-semibold outline-none"
        >
          Audit record {id}
        </h2>
        <Button onClick={onClose} aria-label="Close details">
          Close
        </Button>
      </div>
      <div className="flex-1 overflow-y-auto p-4">
        {record.isPending ? (
          <LoadingState label="Loading the record…" />
        ) : record.isError ? (
          <ErrorState error={record.error} onRetry={() => void record.refetch()} />
        ) : (
          <RecordFields record={record.data} zone={zone} />
        )}
      </div>
    </aside>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-700 dark:text-slate-300">{label}</dt>
      <dd className="break-words">{children ?? '—'}</dd>
    </>
  );
}

function RecordFields({ record, zone }: { record: AuditRecord; zone: 'utc' | 'local' }) {
  const [copied, setCopied] = useState(false);
  const { details, source } = record;
  const link = `${window.location.origin}/audit?record=${encodeURIComponent(record.id)}${zone === 'utc' ? '&tz=utc' : ''}`;
  return (
    <div className="space-y-5 text-sm">
      <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
        <Row label="Time">{formatTimestamp(record.timestamp, zone)}</Row>
        <Row label="Event">{record.summary}</Row>
        <Row label="Category">{record.category}</Row>
        <Row label="Author">{authorLabel(record)}</Row>
        <Row label="Affected objects">
          {record.affectedObjects.length ? (
            <ul>
              {record.affectedObjects.map((o) => (
                <li key={`${o.type}:${o.id}`}>
                  {o.type}: {o.name} <span className="font-mono text-xs">({o.id})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
      </dl>

      {record.changedValues.length > 0 && (
        <section>
          <h3 className="font-semibold">Changed values</h3>
          <ul className="mt-1 space-y-0.5">
            {record.changedValues.map((v) => (
              <li key={v.field}>
                {v.field}: <span className="line-through decoration-1">{v.from ?? '(none)'}</span> →{' '}
                <strong>{v.to ?? '(none)'}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section>
        <h3 className="font-semibold">Source</h3>
        <dl className="mt-1 grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
          <Row label="Client IP address">{source.clientIp}</Row>
          <Row label="Load balancer/proxy IP address">{source.proxyIp}</Row>
          <Row label="Node">{source.nodeId}</Row>
          <Row label="Method">{source.method}</Row>
        </dl>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          Confluence shows these two addresses the other way round (the client address in the load
          balancer/proxy field): read them swapped in records that came from Confluence.
        </p>
      </section>

      <section>
        <h3 className="font-semibold">Details</h3>
        <dl className="mt-1 grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
          <Row label="Token ID">
            {details.tokenId && <span className="font-mono">{details.tokenId}</span>}
          </Row>
          <Row label="Token description">{details.tokenDescription}</Row>
          <Row label="Scope">{details.scope && SCOPE_LABELS[details.scope]}</Row>
          <Row label="Username">
            {details.username ??
              (record.summary.includes('bearer')
                ? 'Unknown (a failed bearer attempt names no user)'
                : undefined)}
          </Row>
          <Row label="REST endpoint">
            {details.endpoint && <span className="font-mono">{details.endpoint}</span>}
          </Row>
          <Row label="Reason of failure">{details.reason && FAILURE_REASONS[details.reason]}</Row>
          <Row label="Credential">{details.credential && credentialLabel(details.credential)}</Row>
          {details.furtherAttempts && (
            <Row label="Further attempts">
              {furtherAttemptsText(details.furtherAttempts, (iso) => formatTimestamp(iso, zone))}
            </Row>
          )}
        </dl>
      </section>

      <section>
        <div className="flex items-center justify-between">
          <h3 className="font-semibold">Raw JSON</h3>
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
        </div>
        <p role="status" className="text-xs">
          {copied ? 'Link copied.' : ''}
        </p>
        <pre className="mt-1 rounded bg-slate-100 p-2 text-xs break-all whitespace-pre-wrap dark:bg-slate-800">
          {JSON.stringify(record, null, 2)}
        </pre>
      </section>
    </div>
  );
}
