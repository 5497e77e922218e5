import { FAILED_ATTEMPTS_RECORDED_PER_SOURCE } from '@contract/audit';
import {
  AUDIT_OPTIONS,
  FAILED_ATTEMPT_OPTIONS,
  GATE_LABELS,
  auditOptionAvailability,
  type AuditOption,
  type AuditOptionKey,
} from '@contract/audit-options';
import { NumberField, Section } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';
import { Switch } from '@/components/ui/Switch';
import { GATE_ANCHORS, recordedSummary } from './settings-text';
import { fieldBinder } from '@/lib/field-binding';
import type { SettingsTabProps } from './tab-props';
import { TextLink } from '@/components/ui/TextLink';

const DESCRIPTIONS: Record<AuditOptionKey, string> = {
  successfulAuthentication:
    'Records every successful authentication with an API token. The author is shown as "Anonymous"; the affected object is the user who authenticated.',
  failedBasicAttempts:
    'Records Basic authentication attempts without a valid API token, including attempts from an address the IP restrictions refuse.',
  failedBearerAttempts:
    'Records Bearer authentication attempts without a valid API token, including attempts from a refused address. The username is unknown: it can only be derived from a valid token.',
  failedVerification: 'Records every request whose credentials fail API token verification.',
  permissionDenied:
    'Records requests refused with 403, such as a Read Only token used for a write operation.',
};

export function AuditLoggingTab({ draft, saved, update, readOnly, errors }: SettingsTabProps) {
  const option = (o: AuditOption) => {
    const availability = auditOptionAvailability(o.key, draft.authentication);
    const checked = draft.auditLogging[o.key];
    const id = `audit-${o.key}`;
    return (
      <Switch
        key={o.key}
        id={id}
        label={o.label}
        description={DESCRIPTIONS[o.key]}
        value={checked && availability.available}
        unavailable={!availability.available}
        disabled={readOnly}
        onValueChange={(on) => update((d) => void (d.auditLogging[o.key] = on))}
      >
        {!availability.available && (
          <p className="mt-1 text-sm text-slate-800 dark:text-slate-200">
            {availability.reason}{' '}
            <TextLink to={`/settings/authentication#${GATE_ANCHORS[availability.gate]}`}>
              Go to “{GATE_LABELS[availability.gate]}”
            </TextLink>
            {saved.auditLogging[o.key] && (
              <strong className="mt-1 block text-amber-800 dark:text-amber-300">
                It is on now and will be turned off when you save.
              </strong>
            )}
          </p>
        )}
        {o.key === 'failedVerification' && (
          <p className="mt-1 text-sm font-medium text-amber-800 dark:text-amber-300">
            ⚠ Many other API interactions with regular passwords or bearer tokens might be recorded, since
            there is no way to tell for certain whether the authentication header contains an API token, a
            password or a token from another authenticator app. It may record a lot of events and is usually
            not advised.
          </p>
        )}
        {errors[`auditLogging.${o.key}`] && (
          <p className="mt-1 text-sm text-red-700 dark:text-red-400">{errors[`auditLogging.${o.key}`]}</p>
        )}
      </Switch>
    );
  };

  const ungrouped = AUDIT_OPTIONS.filter((o) => !FAILED_ATTEMPT_OPTIONS.includes(o.key));
  const failed = AUDIT_OPTIONS.filter((o) => FAILED_ATTEMPT_OPTIONS.includes(o.key));

  return (
    <div className="space-y-6">
      <Notice tone="warning" title="Audit volume can grow quickly">
        Please consider carefully what type of authentication events you want to audit-log. Depending on the
        number of REST requests and the event types, the audit log size might increase very quickly. Having a
        long audit log retention period combined with a lot of recorded events may affect your database and
        its performance.
        <span className="mt-2 block">
          Repeated failed attempts from one source are aggregated: the first{' '}
          {FAILED_ATTEMPTS_RECORDED_PER_SOURCE} in a minute are recorded one by one, then one record per
          source and minute says how many more came (“250 further failed attempts from 203.0.113.9”). With
          rate limiting on, failed attempts also count against the rate limit of their source address.
        </span>
      </Notice>
      <Section
        title="Authentication events"
        description="All these are turned off by default. Creating and deleting tokens is always added to the audit log, with the token's ID so that a revocation can be matched to its creation; so is every settings change."
      >
        {ungrouped.slice(0, 1).map(option)}
        <fieldset className="rounded-md border border-slate-200 p-4 dark:border-slate-700">
          <legend className="px-1 text-sm font-semibold">Failed Authentication Attempts</legend>
          <div className="space-y-5">{failed.map(option)}</div>
        </fieldset>
        {ungrouped.slice(1).map(option)}
        <p className="rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800" aria-live="polite">
          {recordedSummary(draft, saved)}
        </p>
      </Section>
      <Section title="Retention" description="Audit records older than this are deleted.">
        <NumberField
          id="retention-days"
          className="max-w-xs"
          label="Retention period (days)"
          min={1}
          {...fieldBinder({ draft, update, errors, readOnly })('auditLogging.retentionDays')}
        />
      </Section>
    </div>
  );
}
