import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SCOPE_LABELS, type DirectoryUser, type TokenScope } from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { FieldError, TextField } from '@/components/ui/Field';
import { LoadingState } from '@/components/ui/LoadingState';
import { FormActions } from '@/components/ui/FormActions';
import { Notice } from '@/components/ui/Notice';
import { ApiError } from '@/lib/api-error';
import { copyUpdater, fieldBinder, useFocusFirstInvalid } from '@/lib/field-binding';
import { tokenPolicyQueryOptions, useCreateToken } from './api';
import { effectiveExpiryChoice } from './expiry';
import { TokenIpRestrictions } from './TokenIpRestrictions';
import { ExpiryField } from './ExpiryField';
import { SecretDialog } from './SecretView';
import { expiresAtOf, formErrorsOf, tokenFormErrors, type ExpiryDraft } from './token-form';
import { UserPicker } from './UserPicker';

interface Draft extends ExpiryDraft {
  description: string;
  scope: TokenScope;
  ipRestrictions: string[];
  owner: DirectoryUser | null;
}

const EMPTY: Draft = {
  description: '',
  scope: 'READ_ONLY',
  expiry: '30d',
  customDay: '',
  ipRestrictions: [],
  owner: null,
};

/**
 * "Create token": the form, then the secret, shown exactly once. Closing drops the secret from memory
 * (the mutation is reset); it is never cached, stored or put in the address bar.
 */
export function CreateTokenDialog({
  open,
  onOpenChange,
  forOtherUsers,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Token Manager: the token may be for any user, chosen with a user picker. */
  forOtherUsers: boolean;
}) {
  const policy = useQuery({ ...tokenPolicyQueryOptions, enabled: open });
  const create = useCreateToken();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  /** Whether a submit was tried: from then on the messages follow the draft as it changes. */
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [pendingIp, setPendingIp] = useState('');
  const [formRef, refused] = useFocusFirstInvalid();

  const close = () => {
    create.reset();
    setDraft(EMPTY);
    setSubmitted(false);
    setServerErrors({});
    setPendingIp('');
    onOpenChange(false);
  };
  if (!open) return null;
  if (create.data) {
    return (
      <SecretDialog
        title="Token created"
        created={create.data}
        onClose={close}
        actions={
          <Button
            onClick={() => {
              create.reset();
              setSubmitted(false);
            }}
          >
            Create another with the same settings
          </Button>
        }
      />
    );
  }

  const readOnlyForced = policy.data?.readOnlyForced === true && !forOtherUsers;
  const latestExpiresAt = policy.data?.latestExpiresAt ?? null;
  // The choice made, or the longest the policy allows when it allows less (e.g. at most 10 days).
  const current: Draft = {
    ...draft,
    scope: readOnlyForced ? 'READ_ONLY' : draft.scope,
    expiry: effectiveExpiryChoice(draft.expiry, new Date(), latestExpiresAt),
  };
  const errors = {
    ...(submitted ? draftErrors(current, latestExpiresAt, pendingIp, forOtherUsers) : {}),
    ...formErrorsOf(serverErrors, current.expiry),
  };
  const bind = fieldBinder({
    draft: current,
    errors,
    update: copyUpdater(setDraft, () => setServerErrors({})),
  });

  const submit = () => {
    setSubmitted(true);
    if (!policy.data) return;
    if (Object.keys(draftErrors(current, latestExpiresAt, pendingIp, forOtherUsers)).length > 0) {
      return refused();
    }
    create.mutate(
      {
        description: current.description.trim(),
        scope: current.scope,
        expiresAt: expiresAtOf(current, latestExpiresAt),
        ipRestrictions: current.ipRestrictions,
        ...(forOtherUsers && current.owner && { ownerKey: current.owner.key }),
      },
      {
        onError: (error) => {
          if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0) {
            setServerErrors(error.fieldErrors);
            refused();
          }
        },
      },
    );
  };

  return (
    <Dialog open onOpenChange={(next) => !next && close()} title="Create token" wide>
      {policy.isPending ? (
        <LoadingState label="Loading the token policy…" />
      ) : policy.isError ? (
        <Notice tone="danger" title="The token policy could not be loaded" alert>
          {policy.error.message} <Button onClick={() => void policy.refetch()}>Try again</Button>
        </Notice>
      ) : (
        <form
          ref={formRef}
          noValidate
          className="space-y-5"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {forOtherUsers && (
            <UserPicker
              label="Owner"
              autoFocus
              value={current.owner}
              onChange={(owner) => bind('owner').onValueChange(owner)}
              error={errors.ownerKey}
            />
          )}
          <TextField
            id="token-description"
            label="Description"
            hint="What the token is for, e.g. “Jenkins CI” — at most 255 characters."
            maxLength={300}
            autoComplete="off"
            autoFocus={!forOtherUsers}
            {...bind('description')}
          />
          <ScopeField {...bind('scope')} locked={readOnlyForced} />
          <ExpiryField
            choice={current.expiry}
            customDay={current.customDay}
            latestExpiresAt={latestExpiresAt}
            errors={{ choice: errors.expiry, day: errors.customDay }}
            onChoice={(choice) => choice !== 'keep' && bind('expiry').onValueChange(choice)}
            onCustomDay={bind('customDay').onValueChange}
          />
          <TokenIpRestrictions
            id="token-ip-restrictions"
            errors={errors}
            onPendingChange={setPendingIp}
            {...bind('ipRestrictions')}
          />
          {create.isError &&
            !(create.error instanceof ApiError && Object.keys(create.error.fieldErrors).length > 0) && (
              <Notice tone="danger" title="The token was not created" alert>
                {create.error.message} Your entries are kept; try again.
              </Notice>
            )}
          <FormActions
            submitLabel="Create token"
            pendingLabel="Creating…"
            pending={create.isPending}
            onCancel={close}
          />
        </form>
      )}
    </Dialog>
  );
}

/** What the form must fix before it is sent. */
function draftErrors(
  draft: Draft,
  latestExpiresAt: string | null,
  pendingIp: string,
  forOtherUsers: boolean,
): Record<string, string> {
  return {
    ...(forOtherUsers && !draft.owner && { ownerKey: 'Choose the user the token is for.' }),
    ...tokenFormErrors(draft, latestExpiresAt, pendingIp),
  };
}

function ScopeField({
  value,
  locked,
  onValueChange,
  error,
}: {
  value: TokenScope;
  locked: boolean;
  onValueChange: (scope: TokenScope) => void;
  error?: string;
}) {
  return (
    <fieldset aria-describedby={locked ? 'scope-locked' : undefined}>
      <legend className="text-sm font-medium">Scope</legend>
      <div className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {(['READ_ONLY', 'READ_WRITE'] as const).map((scope) => (
          <label
            key={scope}
            className={`flex items-center gap-2 ${locked && scope !== value ? 'text-slate-500' : ''}`}
          >
            <input
              type="radio"
              name="token-scope"
              value={scope}
              checked={value === scope}
              disabled={locked}
              onChange={() => onValueChange(scope)}
            />
            {SCOPE_LABELS[scope]}
          </label>
        ))}
      </div>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        A Read Only token may only use GET, HEAD and OPTIONS requests; anything else is answered 403.
      </p>
      {locked && (
        <p id="scope-locked" className="mt-1 text-sm font-medium text-amber-800 dark:text-amber-300">
          Locked to Read Only: the token policy forces Read Only scope for regular users.
        </p>
      )}
      <FieldError id="scope-error" message={error} />
    </fieldset>
  );
}
