import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, useBlocker, useLocation, useParams } from 'react-router';
import { auditOption } from '@contract/audit-options';
import type { Settings } from '@contract/settings';
import { SETTINGS_TABS, settingsChanges, type SettingsTab } from '@contract/settings-fields';
import { Button } from '@/components/ui/Button';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { PageHeader } from '@/components/ui/PageHeader';
import { RouteTabs } from '@/components/ui/RouteTabs';
import { useAuthorization } from '@/lib/auth';
import { SendDemoTrafficButton } from '@/components/SendDemoTrafficButton';
import { ModalDialog } from '@/components/ui/ModalDialog';
import { formatDateTime } from '@/lib/time';
import { settingsQueryOptions } from './api';
import { AuditLoggingTab } from './AuditLoggingTab';
import { AuthenticationTab } from './AuthenticationTab';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { toInput, type SaveConsequences } from './draft';
import { useSettingsDraft, type SaveState } from './use-settings-draft';
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
  const { myself } = useAuthorization();
  const settings = useSettingsDraft(server, myself?.groups ?? []);
  const { changes, dirty, errors, state, conflict } = settings;
  const changedTabs = new Set(changes.map((c) => c.tab));

  // Leaving the settings with unsaved changes asks first (switching tabs keeps the draft).
  const blocker = useBlocker(
    ({ nextLocation }) => dirty && !settings.pending && !nextLocation.pathname.startsWith('/settings'),
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

  return (
    <div>
      {readOnly && (
        <Notice title="Read only">
          You can view these settings but not change them: only system administrators can change
          authentication settings.
        </Notice>
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
            draft={settings.draft}
            saved={settings.saved}
            update={settings.update}
            readOnly={readOnly}
            errors={errors}
            onPendingIp={settings.onPendingIp}
          />
        </RouteTabs>
      </div>

      {!readOnly && (
        <div className="sticky bottom-0 z-30 -mx-4 mt-6 border-t border-slate-300 bg-white/95 px-4 py-3 shadow-[0_-2px_8px_rgba(0,0,0,0.08)] backdrop-blur dark:border-slate-700 dark:bg-slate-900/95">
          <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-3">
            <div className="text-sm" aria-live="polite">
              <SaveStatus
                state={state}
                dirty={dirty}
                errorCount={Object.keys(errors).length}
                changes={changes.length}
                tabs={SETTINGS_TABS.filter((t) => changedTabs.has(t.id)).map((t) => t.label)}
                onReview={() => conflict?.review(true)}
              />
            </div>
            <div className="flex gap-2">
              <Button onClick={settings.revert} disabled={!dirty || settings.pending}>
                Revert
              </Button>
              <Button
                variant="primary"
                onClick={settings.save}
                disabled={!dirty || settings.pending || Object.keys(errors).length > 0}
              >
                {settings.pending ? 'Saving…' : 'Save'}
              </Button>
            </div>
          </div>
        </div>
      )}

      {state.kind === 'confirming' && (
        <ConfirmSaveDialog
          consequences={state.consequences}
          onConfirm={settings.confirmSave}
          onCancel={settings.cancelSave}
        />
      )}
      {conflict?.reviewing && (
        <ConflictDialog
          base={conflict.base}
          latest={conflict.latest}
          onReapply={conflict.reapply}
          onDiscard={conflict.discard}
          onClose={() => conflict.review(false)}
        />
      )}

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

/** The save bar's line: where the draft stands, said where the user is when they press Save. */
function SaveStatus({
  state,
  dirty,
  errorCount,
  changes,
  tabs,
  onReview,
}: {
  state: SaveState;
  dirty: boolean;
  errorCount: number;
  changes: number;
  tabs: string[];
  onReview: () => void;
}) {
  const error = 'text-red-700 dark:text-red-400';
  switch (state.kind) {
    case 'failed':
      return (
        <span role="alert" className={error}>
          The settings were not saved: {state.error.message} Your changes are kept.
        </span>
      );
    case 'conflict':
      return (
        <span role="alert" className={error}>
          Not saved: someone else saved the settings first. Your changes are kept.{' '}
          <button type="button" className="font-medium underline" onClick={onReview}>
            See what they changed
          </button>
        </span>
      );
    case 'signed-out':
      return (
        <span role="alert" className={error}>
          Not saved: your session had expired. Your changes are kept: press Save again.
        </span>
      );
    case 'saved':
      return (
        <span className="font-medium text-green-800 dark:text-green-300">
          Settings saved.
          {state.turnedOff.length > 0 &&
            ` Turned off: ${state.turnedOff.map((k) => auditOption(k).label).join(', ')}.`}
        </span>
      );
    default:
      if (errorCount > 0 && dirty)
        return (
          <span className={error}>
            Fix the {errorCount === 1 ? 'value' : `${errorCount} values`} marked in red to save.
          </span>
        );
      if (dirty)
        return (
          <span>
            Unsaved changes ({changes}) on {tabs.join(', ')}.
          </span>
        );
      return <span className="text-slate-600 dark:text-slate-300">No unsaved changes.</span>;
  }
}

/** What a save takes away, before it is sent. */
function ConfirmSaveDialog({
  consequences,
  onConfirm,
  onCancel,
}: {
  consequences: SaveConsequences;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { turnedOff, losesTokenManagement } = consequences;
  const only = !losesTokenManagement;
  return (
    <ConfirmDialog
      open
      title={only ? 'Turn off audit logging options?' : 'Save and stop managing tokens?'}
      confirmLabel={only ? 'Save and turn off' : 'Save anyway'}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {losesTokenManagement && (
        <p>
          You are in none of the groups that may create and delete tokens for other users: after this save you
          can no longer manage other users' tokens, and unless another administrator is in one of those
          groups, nobody can.
        </p>
      )}
      {turnedOff.length > 0 && (
        <>
          <p className={losesTokenManagement ? 'mt-2' : undefined}>Saving these settings turns off:</p>
          <ul className="mt-2 list-disc pl-5 font-medium">
            {turnedOff.map((key) => (
              <li key={key}>{auditOption(key).label}</li>
            ))}
          </ul>
          <p className="mt-2">
            The setting it depends on is being turned off, so the option is no longer available. Those events
            will no longer be recorded.
          </p>
        </>
      )}
    </ConfirmDialog>
  );
}

/** Someone else saved first: what they changed, and what to do with the draft (it is kept either way). */
function ConflictDialog({
  base,
  latest,
  onReapply,
  onDiscard,
  onClose,
}: {
  base: Settings;
  latest: Settings;
  onReapply: () => void;
  onDiscard: () => void;
  onClose: () => void;
}) {
  const theirs = settingsChanges(toInput(base), toInput(latest));
  return (
    <ModalDialog
      open
      role="alertdialog"
      onClose={onClose}
      title="Someone else saved the settings while you were editing"
      description={
        <>
          {latest.updatedBy ?? 'Someone'} saved the settings
          {latest.updatedAt ? ` at ${formatDateTime(latest.updatedAt)}` : ''}. Your changes were not saved and
          are still here.
        </>
      }
    >
      <p className="text-sm font-medium">They changed:</p>
      {theirs.length > 0 ? (
        <ul className="mt-1 list-disc pl-5 text-sm">
          {theirs.map((c) => (
            <li key={c.field}>
              {c.field}: {c.from} → {c.to}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm">Nothing you can see here (only the version changed).</p>
      )}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <Button onClick={onDiscard}>Discard my changes and reload</Button>
        <Button variant="primary" onClick={onReapply} data-autofocus>
          Apply my changes on top
        </Button>
      </div>
    </ModalDialog>
  );
}
