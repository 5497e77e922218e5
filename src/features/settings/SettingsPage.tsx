import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Navigate, useBlocker, useLocation, useParams } from 'react-router';
import {
  auditOption,
  optionsTurnedOffBySave,
  resolveAuditOptions,
  type AuditOptionKey,
} from '@contract/audit-options';
import type { Settings, SettingsInput } from '@contract/settings';
import { SETTINGS_TABS, settingsChanges, type SettingsTab } from '@contract/settings-fields';
import { Button } from '@/components/ui/Button';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { PageHeader } from '@/components/ui/PageHeader';
import { RouteTabs } from '@/components/ui/RouteTabs';
import { useAuthorization } from '@/lib/auth';
import { SendDemoTrafficButton } from '@/components/SendDemoTrafficButton';
import { ApiError } from '@/lib/api-error';
import { formatDateTime } from '@/lib/time';
import { showToast } from '@/stores/toasts';
import { settingsQueryOptions, useSaveSettings } from './api';
import { AuditLoggingTab } from './AuditLoggingTab';
import { AuthenticationTab } from './AuthenticationTab';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { draftErrors, rebaseDraft, toInput } from './draft';
import { PermissionsTab } from './PermissionsTab';

const TAB_CONTENT: Record<SettingsTab, typeof AuthenticationTab> = {
  authentication: AuthenticationTab,
  permissions: PermissionsTab,
  'audit-logging': AuditLoggingTab,
};

export function SettingsPage() {
  const tab = useParams()['*'] as SettingsTab | undefined;
  const settings = useQuery(settingsQueryOptions);
  const canEdit = useAuthorization().can('settings:write');

  if (!SETTINGS_TABS.some((t) => t.id === tab)) return <Navigate to="/settings/authentication" replace />;

  return (
    <>
      <PageHeader
        title="Settings"
        description="Authentication policy, who may use API tokens, and which authentication events are audit-logged."
        actions={canEdit ? <SendDemoTrafficButton /> : undefined}
      />
      {/* Settings once read stay on screen (with the draft) when a later read fails. */}
      {settings.data ? (
        <SettingsEditor tab={tab!} server={settings.data} readOnly={!canEdit} />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <LoadingState label="Loading settings…" />
      )}
    </>
  );
}

/** The draft, the tabs that edit it, and the save bar. */
function SettingsEditor({
  tab,
  server,
  readOnly,
}: {
  tab: SettingsTab;
  server: Settings;
  readOnly: boolean;
}) {
  const location = useLocation();
  const queryClient = useQueryClient();
  const save = useSaveSettings();
  /** The saved version the draft started from; follows the server while there is no draft. */
  const [base, setBase] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<SettingsInput | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Settings | null>(null);
  const [confirmTurnOff, setConfirmTurnOff] = useState<AuditOptionKey[] | null>(null);
  const [pendingIp, setPendingIp] = useState('');
  const [pendingIpError, setPendingIpError] = useState<string>();

  const from = base ?? server;
  const current = draft ?? toInput(from);
  const changes = draft ? settingsChanges(toInput(from), draft) : [];
  const dirty = changes.length > 0;
  const errors: Record<string, string> = { ...draftErrors(current), ...serverErrors };
  // An address typed but not added is not saved: say so instead of dropping it silently.
  if (pendingIpError) errors['authentication.ipRestrictions'] ??= pendingIpError;
  const changedTabs = new Set(changes.map((c) => c.tab));

  const update = (change: (d: SettingsInput) => void) => {
    const next = structuredClone(current);
    change(next);
    // An option turned on in this draft goes off again when its gate closes; one that is on in the
    // saved settings stays on, and the save turns it off after asking (see optionsTurnedOffBySave).
    for (const key of Object.keys(resolveAuditOptions(toInput(from), next).errors) as AuditOptionKey[]) {
      next.auditLogging[key] = false;
    }
    if (!base) setBase(server);
    setDraft(next);
    setServerErrors({});
    setSaveError(null);
  };

  const revert = () => {
    setDraft(null);
    setBase(null);
    setServerErrors({});
    setSaveError(null);
  };

  const doSave = () => {
    if (!draft) return;
    save.mutate(
      { input: draft, baseVersion: from.version },
      {
        onSuccess: () => {
          const turnedOff = optionsTurnedOffBySave(toInput(from), draft);
          revert();
          showToast({
            tone: 'success',
            title: 'Settings saved',
            // The version number means nothing to a reader; only what the save did besides.
            description: turnedOff.length
              ? `Turned off: ${turnedOff.map((k) => auditOption(k).label).join(', ')}.`
              : undefined,
          });
        },
        onError: (error) => {
          if (!(error instanceof ApiError)) return setSaveError(null);
          if (error.status === 412) {
            // What changed is read from the latest settings; if even they cannot be read, the save
            // failed all the same and the page says so (the draft is kept either way).
            queryClient
              .fetchQuery({ ...settingsQueryOptions, staleTime: 0 })
              .then(setConflict, (readError) =>
                setSaveError(readError instanceof ApiError ? readError : error),
              );
          } else if (error.status === 422 && Object.keys(error.fieldErrors).length > 0) {
            setServerErrors(error.fieldErrors);
          } else if (error.kind !== 'unauthorized') {
            setSaveError(error);
          }
        },
      },
    );
  };

  const onSave = () => {
    // An address typed but not added would not be saved: say so instead of dropping it silently.
    if (pendingIp) {
      setPendingIpError(`Press "Add" to add ${pendingIp}, or clear the field.`);
      return;
    }
    if (Object.keys(errors).length > 0 || !draft) return;
    const turnedOff = optionsTurnedOffBySave(toInput(from), draft);
    if (turnedOff.length > 0) setConfirmTurnOff(turnedOff);
    else doSave();
  };

  // Leaving the settings with unsaved changes asks first (switching tabs keeps the draft).
  const blocker = useBlocker(
    ({ nextLocation }) => dirty && !save.isPending && !nextLocation.pathname.startsWith('/settings'),
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // A link to a setting (e.g. from an unavailable audit option) focuses it.
  useEffect(() => {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus();
    }
  }, [location.hash, tab]);

  const Content = TAB_CONTENT[tab];
  const errorCount = Object.keys(errors).length;

  return (
    <div>
      {readOnly && (
        <Notice title="Read only">
          You can view these settings but not change them: only system administrators can change
          authentication settings.
        </Notice>
      )}
      {conflict && draft && (
        <ConflictNotice
          base={from}
          latest={conflict}
          onReapply={() => {
            setDraft(rebaseDraft(toInput(from), draft, toInput(conflict)));
            setBase(conflict);
            setConflict(null);
          }}
          onReload={() => {
            revert();
            setConflict(null);
          }}
        />
      )}
      <div className="mt-4">
        <RouteTabs
          label="Settings"
          basePath="/settings"
          value={tab}
          tabs={SETTINGS_TABS.map((t) => ({
            id: t.id,
            label: (
              <>
                {t.label}
                {changedTabs.has(t.id) && (
                  <span className="ml-1 text-amber-700 dark:text-amber-300">
                    <span aria-hidden="true">•</span>
                    <span className="sr-only"> (unsaved changes)</span>
                  </span>
                )}
              </>
            ),
          }))}
        >
          <Content
            draft={current}
            saved={toInput(from)}
            update={update}
            readOnly={readOnly}
            errors={errors}
            onPendingIp={(text) => {
              setPendingIp(text);
              setPendingIpError(undefined);
            }}
          />
        </RouteTabs>
      </div>

      {!readOnly && (
        <div className="sticky bottom-0 z-30 -mx-4 mt-6 border-t border-slate-300 bg-white/95 px-4 py-3 shadow-[0_-2px_8px_rgba(0,0,0,0.08)] backdrop-blur dark:border-slate-700 dark:bg-slate-900/95">
          <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-3">
            <div className="text-sm" aria-live="polite">
              {saveError ? (
                <span role="alert" className="text-red-700 dark:text-red-400">
                  The settings were not saved: {saveError.message} Your changes are kept.
                </span>
              ) : errorCount > 0 && dirty ? (
                <span className="text-red-700 dark:text-red-400">
                  Fix the {errorCount === 1 ? 'value' : `${errorCount} values`} marked in red to save.
                </span>
              ) : dirty ? (
                <span>
                  Unsaved changes ({changes.length}) on{' '}
                  {SETTINGS_TABS.filter((t) => changedTabs.has(t.id))
                    .map((t) => t.label)
                    .join(', ')}
                  .
                </span>
              ) : (
                <span className="text-slate-600 dark:text-slate-300">No unsaved changes.</span>
              )}
            </div>
            <div className="flex gap-2">
              <Button onClick={revert} disabled={!dirty || save.isPending}>
                Revert
              </Button>
              <Button
                variant="primary"
                onClick={onSave}
                disabled={!dirty || save.isPending || errorCount > 0}
              >
                {save.isPending ? 'Saving…' : 'Save'}
              </Button>
            </div>
          </div>
        </div>
      )}

      <ConfirmDialog
        open={confirmTurnOff !== null}
        title="Turn off audit logging options?"
        confirmLabel="Save and turn off"
        onConfirm={() => {
          setConfirmTurnOff(null);
          doSave();
        }}
        onCancel={() => setConfirmTurnOff(null)}
      >
        <p>Saving these settings turns off:</p>
        <ul className="mt-2 list-disc pl-5 font-medium">
          {confirmTurnOff?.map((key) => (
            <li key={key}>{auditOption(key).label}</li>
          ))}
        </ul>
        <p className="mt-2">
          The setting it depends on is being turned off, so the option is no longer available. Those events
          will no longer be recorded.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={blocker.state === 'blocked'}
        title="Discard unsaved changes?"
        confirmLabel="Discard changes and leave"
        cancelLabel="Stay"
        onConfirm={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
      >
        <p>You changed {changes.length === 1 ? 'a setting' : `${changes.length} settings`} without saving.</p>
      </ConfirmDialog>
    </div>
  );
}

function ConflictNotice({
  base,
  latest,
  onReapply,
  onReload,
}: {
  base: Settings;
  latest: Settings;
  onReapply: () => void;
  onReload: () => void;
}) {
  const theirs = settingsChanges(toInput(base), toInput(latest));
  return (
    <div className="mt-4">
      <Notice tone="warning" title="Someone else saved the settings while you were editing" alert>
        <p>
          {latest.updatedBy ?? 'Someone'} saved version {latest.version}
          {latest.updatedAt ? ` at ${formatDateTime(latest.updatedAt, undefined, true)}` : ''}. Your changes
          were not saved and are still here. They changed:
        </p>
        {theirs.length > 0 ? (
          <ul className="mt-2 list-disc pl-5">
            {theirs.map((c) => (
              <li key={c.field}>
                {c.field}: {c.from} → {c.to}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2">Nothing you can see here (only the version changed).</p>
        )}
        <div className="mt-3 flex flex-wrap gap-2">
          <Button variant="primary" onClick={onReapply}>
            Apply my changes on top
          </Button>
          <Button onClick={onReload}>Discard my changes and reload</Button>
        </div>
      </Notice>
    </div>
  );
}
