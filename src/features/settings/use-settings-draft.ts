import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { resolveAuditOptions, type AuditOptionKey } from '@contract/audit-options';
import type { Settings, SettingsInput } from '@contract/settings';
import { settingsChanges } from '@contract/settings-fields';
import { ApiError } from '@/lib/api-error';
import { settingsQueryOptions, useSaveSettings } from './api';
import {
  asksFirst,
  draftErrors,
  rebaseDraft,
  saveConsequences,
  toInput,
  type SaveConsequences,
} from './draft';

/** Where saving the draft stands: what the save bar says and which dialog is open. */
export type SaveState =
  | { kind: 'idle' }
  /** The save takes something away: the user confirms first. */
  | { kind: 'confirming'; consequences: SaveConsequences }
  | { kind: 'failed'; error: ApiError }
  /** Someone else saved first (412); `reviewing`: the dialog that shows what they changed is open. */
  | { kind: 'conflict'; latest: Settings; reviewing: boolean }
  /** The session had expired (401): nothing was saved; after signing in again, Save sends the draft. */
  | { kind: 'signed-out' }
  | { kind: 'saved'; turnedOff: AuditOptionKey[] };

/**
 * The settings draft of the Settings page: what the user changed on top of the saved version they
 * started from, its validation, and saving it (confirmation, conflicts, failures, an expired session).
 * A failed save never loses the draft.
 */
export function useSettingsDraft(server: Settings, myGroups: readonly string[]) {
  const queryClient = useQueryClient();
  const mutation = useSaveSettings();
  /** The saved version the draft started from (it follows the server while there is no draft). */
  const [edit, setEdit] = useState<{ base: Settings; draft: SettingsInput } | null>(null);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  /** The backend's 422 field errors, until the next change. */
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  /** An address typed but not added; `refused`: Save said so (it would not be saved). */
  const [pendingIp, setPendingIp] = useState({ text: '', refused: false });

  const from = edit?.base ?? server;
  const saved = toInput(from);
  const draft = edit?.draft ?? saved;
  const changes = edit ? settingsChanges(saved, edit.draft) : [];
  const errors: Record<string, string> = { ...draftErrors(draft), ...serverErrors };
  if (pendingIp.refused)
    errors['authentication.ipRestrictions'] ??= `Press "Add" to add ${pendingIp.text}, or clear the field.`;

  const update = (change: (d: SettingsInput) => void) => {
    const next = structuredClone(draft);
    change(next);
    // An option turned on in this draft goes off again when its gate closes; one that is on in the
    // saved settings stays on, and the save turns it off after asking (see optionsTurnedOffBySave).
    for (const key of Object.keys(resolveAuditOptions(saved, next).errors) as AuditOptionKey[]) {
      next.auditLogging[key] = false;
    }
    setEdit({ base: from, draft: next });
    setServerErrors({});
    // A conflict or an expired session still stands: the draft is not saved yet.
    if (state.kind === 'failed' || state.kind === 'saved') setState({ kind: 'idle' });
  };

  const revert = () => {
    setEdit(null);
    setServerErrors({});
    setState({ kind: 'idle' });
  };

  /** Sends the draft, on top of the version it was edited from. */
  const send = () => {
    if (!edit) return;
    const turnedOff = saveConsequences(saved, edit.draft, myGroups).turnedOff;
    setState({ kind: 'idle' });
    mutation.mutate(
      { input: edit.draft, baseVersion: from.version },
      {
        onSuccess: () => {
          setEdit(null);
          setState({ kind: 'saved', turnedOff });
        },
        onError: (error) => {
          if (!(error instanceof ApiError)) return;
          if (error.status === 412) {
            // What changed is read from the latest settings; if even they cannot be read, the save
            // failed all the same and the page says so (the draft is kept either way).
            queryClient.fetchQuery({ ...settingsQueryOptions, staleTime: 0 }).then(
              (latest) => setState({ kind: 'conflict', latest, reviewing: true }),
              (readError) =>
                setState({ kind: 'failed', error: readError instanceof ApiError ? readError : error }),
            );
          } else if (error.status === 422 && Object.keys(error.fieldErrors).length > 0) {
            setServerErrors(error.fieldErrors);
          } else if (error.kind === 'unauthorized') {
            setState({ kind: 'signed-out' });
          } else {
            setState({ kind: 'failed', error });
          }
        },
      },
    );
  };

  return {
    draft,
    saved,
    changes,
    dirty: changes.length > 0,
    errors,
    state,
    pending: mutation.isPending,
    update,
    revert,
    onPendingIp: (text: string) => setPendingIp({ text, refused: false }),
    /** Save: asks first when the save takes something away. */
    save: () => {
      // An address typed but not added would not be saved: say so instead of dropping it silently.
      if (pendingIp.text) return setPendingIp({ ...pendingIp, refused: true });
      if (!edit || Object.keys(errors).length > 0) return;
      const consequences = saveConsequences(saved, edit.draft, myGroups);
      if (asksFirst(consequences)) setState({ kind: 'confirming', consequences });
      else send();
    },
    confirmSave: send,
    cancelSave: () => setState({ kind: 'idle' }),
    conflict:
      state.kind === 'conflict'
        ? {
            base: from,
            latest: state.latest,
            reviewing: state.reviewing,
            review: (open: boolean) => setState({ ...state, reviewing: open }),
            /** My changes on top of theirs (still to be saved). */
            reapply: () => {
              if (edit)
                setEdit({ base: state.latest, draft: rebaseDraft(saved, edit.draft, toInput(state.latest)) });
              setState({ kind: 'idle' });
            },
            discard: revert,
          }
        : null,
  };
}
